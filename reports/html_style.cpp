#include "reports/html_style.hpp"

namespace firedrill::reports {

std::string_view html_report_css() {
  return R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 18px 20px 40px; }
code, pre, .evidence { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
h1 { font-size: 20px; margin: 0 0 2px; }
h1 .suite { font-weight: 400; color: #57606a; }
h2 { font-size: 17px; margin: 0 0 6px; display: flex; align-items: center; gap: 10px; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; margin: 16px 0 6px; }
.sub { color: #57606a; margin: 0 0 10px; }
a { color: #0969da; text-decoration: none; }
.badge { font-size: 11px; font-weight: 700; letter-spacing: .03em; padding: 1px 8px; border-radius: 9px;
  color: #fff; text-transform: uppercase; white-space: nowrap; }
.badge.pass { background: #2f8a4f; } .badge.fail { background: #cf222e; }
.badge.unknown { background: #b35900; } .badge.error { background: #6639ba; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: #57606a; padding: 4px 8px; border-bottom: 1px solid #d0d7de; }
td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #eaeef2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
section.scenario { background: #fff; border: 1px solid #d0d7de; border-radius: 8px;
  padding: 14px 18px 16px; margin: 16px 0; }
section.scenario.fail { border-top: 4px solid #cf222e; } section.scenario.unknown { border-top: 4px solid #b35900; }
section.scenario.error { border-top: 4px solid #6639ba; } section.scenario.pass { border-top: 4px solid #2f8a4f; }
dl.meta { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0 0 8px; font-size: 13px; color: #57606a; }
dl.meta div { display: flex; gap: 6px; } dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; color: #1f2328; }
.harness-error { background: #fbefff; border: 1px solid #d8b9ff; padding: 8px 10px; border-radius: 6px; }
figure.timeline { margin: 6px 0 0; }
svg.timeline { display: block; width: 100%; height: auto; font-size: 11px; }
svg text { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; }
.plot { fill: #fbfbfc; stroke: #d0d7de; }
.grid { stroke: #e6e9ed; stroke-width: 1; }
.tick, .lane-name { fill: #57606a; font-size: 11px; }
.lane-text { fill: #24292f; font-size: 9.5px; }
.seg.accepted { fill: #3f9c68; } .seg.refused { fill: #a9b3be; } .seg.indeterminate { fill: #ef8f1f; }
.state.starting { fill: #d5dbe1; } .state.ready { fill: #b4e0c0; } .state.not-ready { fill: #ffd49a; }
.state.load { fill: #c9def5; } .state.settle { fill: #e3e3e3; }
.state.running { fill: #cfe3d4; } .state.stopping { fill: #f3c7a6; }
.state.serving { fill: #b4e0c0; } .state.scaling-down { fill: #f3c7a6; } .state.at-zero { fill: #eef1f4; }
.marker { --c: #57606a; --w: 1.5; --dash: none; }
.marker line { stroke: var(--c); stroke-width: var(--w); stroke-dasharray: var(--dash); }
.marker text, .fault-window text { fill: var(--c); font-weight: 600; font-size: 11px;
  paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.marker.scale-down { --c: #6f42c1; --dash: 4 2; } .marker.scale-up { --c: #6f42c1; --w: 2.5; }
.marker.start { --c: #00897b; --dash: 2 2; } .marker.restart { --c: #00897b; --w: 2.5; }
.marker.ready { --c: #0a6ebd; --dash: 2 2; } .marker.not-ready { --c: #0a6ebd; --dash: 6 3; }
.marker.sigterm { --c: #cf222e; --w: 2; } .marker.grace-deadline { --c: #cf222e; --dash: 6 3; }
.marker.sigkill { --c: #6a1b9a; --w: 3; } .marker.signal { --c: #e36209; }
.marker.exit { --c: #24292f; --w: 2; } .marker.crash { --c: #b35900; --w: 3; --dash: 4 2; } .marker.leftover { --c: #bf3989; --dash: 1 2; }
.fault-window { --c: #8250df; } .fault-window rect { fill: #8250df; fill-opacity: .10; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 22px; font-size: 12px; color: #24292f; margin: 4px 0 0 ; }
.legend ul { display: flex; flex-wrap: wrap; gap: 2px 12px; list-style: none; margin: 0; padding: 0; }
.legend li { display: flex; align-items: center; gap: 4px; } .legend .group { color: #57606a; font-weight: 600; }
.key .marker line { stroke-width: 2; }
.checks .verdict { width: 76px; } .checks .name { width: 210px; font-weight: 600; }
.checks .message { margin: 0; }
.evidence { margin: 4px 0 0; padding-left: 18px; font-size: 12px; color: #24292f; }
.evidence li { overflow-wrap: anywhere; }
.empty { color: #57606a; font-style: italic; }
.output-box { display: flex; flex-direction: column-reverse; max-height: 260px; overflow: auto;
  background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; }
pre.output { margin: 0; padding: 8px 10px; font-size: 12px; line-height: 1.4;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.note { color: #57606a; font-size: 12px; margin: 0 0 4px; }
)css";
}

}  // namespace firedrill::reports
