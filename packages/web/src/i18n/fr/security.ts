import type { security as english } from '../en/security.js';
import type { Translation } from '../types.js';

export const security: Translation<typeof english> = {
  'e2ee.group': 'Sécurité',
  'e2ee.title': 'Chiffrement de bout en bout',
  'e2ee.toggle': 'Sécurité : chiffrement de bout en bout',
  'e2ee.show': 'Afficher',
  'e2ee.hide': 'Masquer',
  'e2ee.turnOff': 'Désactiver',
  'e2ee.turnOn': 'Activer',
  'e2ee.changeKey': 'Changer la clé',
  'e2ee.deriving': 'Calcul de la clé…',
  'e2ee.key': 'Clé',
  'e2ee.unsupportedNote':
    'Ce navigateur ne sait pas chiffrer de bout en bout : impossible de l’activer ici. Les autres voient que vous ne pouvez pas chiffrer.',
  'e2ee.help':
    'Tout le monde doit saisir la même clé ; avec une autre clé, on ne voit et n’entend rien. La clé ne quitte jamais ce navigateur : même le serveur ne la reçoit pas. Transmettez-la aux autres par un autre canal que le lien de la réunion, et utilisez plusieurs mots pris au hasard.',
  'e2ee.unsupported': 'Ce navigateur ne sait pas chiffrer de bout en bout.',
  'e2ee.changeFailed': 'Le chiffrement de bout en bout n’a pas pu être modifié. Réessayez.',
  'e2ee.statusUnavailable': 'Non disponible dans ce navigateur.',
  'e2ee.statusOn': 'Activé pour tout le monde : chaque participant chiffre avec la même clé.',
  'e2ee.statusPartial': 'Activé pour vous, mais pas pour tout le monde.',
  'e2ee.statusOthers':
    'Désactivé pour vous. D’autres chiffrent : saisissez la même clé pour les voir et les entendre.',
  'e2ee.statusOff':
    'Désactivé. Activez-le pour que seules les personnes ayant la clé puissent voir et entendre cette réunion.',
  'e2ee.problem': '{name} : {state}',
  'e2ee.enterKey': 'Saisissez la clé qu’utilisent tous les participants de cette réunion.',
  'e2ee.keySpaces':
    'La clé commence ou finit par une espace. Retirez-la, pour que les autres puissent la saisir.',

  'e2ee.cover.otherKey': 'Déchiffrement impossible : cette personne utilise une autre clé',
  'e2ee.cover.noKey': 'Chiffré : saisissez la clé de la réunion pour voir et entendre cette personne',
  'e2ee.cover.cannotEncrypt':
    'Chiffrement impossible : son navigateur ne sait pas chiffrer de bout en bout, ses médias restent donc masqués tant que votre chiffrement est activé',
  'e2ee.cover.unencrypted': 'Non chiffré : masqué tant que votre chiffrement de bout en bout est activé',
  'e2ee.cannotEncrypt.self':
    'Chiffrement impossible : {names}. Leur navigateur ne sait pas chiffrer de bout en bout : ce qu’ils envoient n’est donc pas chiffré de bout en bout et reste masqué pour vous et pour tous ceux qui chiffrent, et ils ne peuvent pas déchiffrer ce que vous envoyez.',
  'e2ee.cannotEncrypt.others':
    'Chiffrement impossible : {names}. Leur navigateur ne sait pas chiffrer de bout en bout : ceux qui chiffrent ne les voient ni ne les entendent, et ils ne peuvent pas déchiffrer ce que ceux-ci envoient.',
  'e2ee.notEveryone':
    'Non chiffré de bout en bout : {names}. Ces personnes ne l’ont pas activé avec la clé. Seul ce qu’elles envoient et reçoivent est concerné.',
  'e2ee.selfUnsupported':
    'Ce navigateur ne sait pas chiffrer de bout en bout : il ne peut ni voir ni entendre les participants qui chiffrent, ni chiffrer ce qu’il envoie. Utilisez une version récente de Chrome, Edge, Firefox ou Safari.',

  'e2ee.mark.encrypted': 'Chiffré',
  'e2ee.mark.encryptedTitle':
    'Chiffré de bout en bout : seules les personnes ayant la clé peuvent voir et entendre',
  'e2ee.mark.unencrypted': 'Non chiffré',
  'e2ee.mark.unencryptedTitle': 'Non chiffré de bout en bout',
  'e2ee.mark.cannotEncrypt': 'Ne peut pas chiffrer',
  'e2ee.mark.cannotEncryptTitle':
    'Chiffrement impossible : son navigateur ne sait pas chiffrer de bout en bout, ses médias ne sont donc pas chiffrés de bout en bout',
  'e2ee.mark.cannotDecrypt': 'Ne peut pas déchiffrer',
  'e2ee.mark.cannotDecryptTitle':
    'Déchiffrement impossible : ce participant utilise une autre clé (ou vous n’en avez saisi aucune)',

  'e2ee.badge.on': 'E2EE pour tous',
  'e2ee.badge.onTitle':
    'Tout le monde chiffre de bout en bout avec la même clé : le serveur ne peut ni voir ni entendre cette réunion',
  'e2ee.badge.partial': 'E2EE pas pour tous',
  'e2ee.badge.partialTitle':
    'Certains participants ne sont pas chiffrés de bout en bout, ou utilisent une autre clé. Détails dans « Sécurité ».',
  'e2ee.badge.off': 'E2EE désactivé',
  'e2ee.badge.offTitle': 'Le chiffrement de bout en bout est désactivé. Activez-le dans « Sécurité ».',
};
