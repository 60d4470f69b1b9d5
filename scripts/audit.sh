#!/usr/bin/env bash
# Dependency audit: npm's advisories for what Conclave ships (production dependencies, not dev
# tools). Exit 0: no high or critical advisory. Exit 1: at least one (listed). Exit 3: the advisory
# service could not be asked (no network, or a registry mirror without the audit endpoint).
set -uo pipefail
cd "$(dirname "$0")/.."
report=$(npm audit --omit=dev --json 2>/dev/null)
node --input-type=module -e '
  let text = "";
  process.stdin.on("data", (d) => (text += d)).on("end", () => {
    let report;
    try { report = JSON.parse(text); } catch { report = {}; }
    if (report.auditReportVersion === undefined) {
      console.error(`npm audit: the advisory service did not answer (${report.message ?? "no report"})`);
      process.exit(3);
    }
    const found = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === "high" || v.severity === "critical");
    const counts = report.metadata?.vulnerabilities ?? {};
    console.log(`npm audit (production dependencies): ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`);
    for (const v of found) console.log(`  ${v.severity}: ${v.name} ${v.range} (${v.fixAvailable ? "fix available" : "no fix yet"})`);
    process.exit(found.length > 0 ? 1 : 0);
  });
' <<<"$report"
