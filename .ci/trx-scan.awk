# Reads trx files (dotnet test --logger trx) and prints, one per line:
#   skip<TAB>TEST NAME<TAB>REASON   for each test that did not run (outcome NotExecuted: xunit's skips)
#   simd<TAB>KEY=VALUE ...          for each "hush-simd:" line a test wrote (tests/Hush.Engine.Tests/SimdLevelReport.cs)
# awk rather than an XML library so that CI needs nothing beyond the .NET SDK and coreutils. The trx logger writes
# one UnitTestResult start tag per line and its skip reason inside <Message>...</Message>, possibly over several lines.

function attr(name,    m) {
  if (match($0, " " name "=\"[^\"]*\"")) { m = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4); return unxml(m) }
  return ""
}
function unxml(s) {
  gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'", s); gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s)
  gsub(/&amp;/, "\\&", s)
  return s
}
function finish() {
  if (inresult && outcome == "NotExecuted") { gsub(/[\t\r]/, " ", reason); printf "skip\t%s\t%s\n", name, (reason == "" ? "(no reason given)" : reason) }
  inresult = 0; inmsg = 0
}

/<UnitTestResult / {
  finish()
  inresult = 1; name = attr("testName"); outcome = attr("outcome"); reason = ""
  if ($0 ~ /\/>[ \t\r]*$/) finish()
}
inresult && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
inresult && inmsg {
  line = $0; done = sub(/<\/Message>.*/, "", line)
  reason = reason (reason == "" ? "" : " ") unxml(line)
  if (done) inmsg = 0
}
/<\/UnitTestResult>/ { finish() }
/hush-simd: / { s = $0; sub(/.*hush-simd: /, "", s); sub(/[ \t\r]*(<\/StdOut>.*)?$/, "", s); print "simd\t" s }
