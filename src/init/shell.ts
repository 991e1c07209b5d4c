/**
 * Wraps a command whose report is its standard output: the report is replaced only when the tool
 * exited 0 or printed something, so a tool that could not start (not installed, crashed before any
 * output) leaves no fresh report and `shipgate assess` stops with the tool's own error, instead of
 * reading an empty file as "no findings". `command` is one simple command (its redirection applies to it).
 */
export function captureStdout(command: string, report: string): string {
  const dir = report.includes("/") ? report.slice(0, report.lastIndexOf("/")) : ".";
  const part = `${report}.part`;
  return `mkdir -p ${dir}; ${command} > ${part}; s=$?; if [ $s -eq 0 ] || [ -s ${part} ]; then mv ${part} ${report}; fi; exit $s`;
}
