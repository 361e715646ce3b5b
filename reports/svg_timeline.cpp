#include "reports/svg_timeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "history/event.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

// Layout, in SVG user units; the picture scales to the page's width.
constexpr double width = 960, left = 64, right = 16, plot_w = width - left - right;
constexpr int label_rows = 4;
constexpr double row_h = 14, plot_top = label_rows * row_h + 10, plot_h = 150;
constexpr double plot_bottom = plot_top + plot_h;
constexpr double lane_h = 12, lane_step = lane_h + 4, app_lane_y = plot_bottom + 8;
// Below the app's lane, one lane per sidecar, then the harness's; the
// picture grows with the pod.
double sidecar_lane_y(std::size_t i) { return app_lane_y + lane_step * static_cast<double>(i + 1); }
double harness_lane_y(const TimelineModel& m) { return sidecar_lane_y(m.sidecar_lanes.size()); }
double lanes_bottom(const TimelineModel& m) { return harness_lane_y(m) + lane_h; }
double height_of(const TimelineModel& m) { return lanes_bottom(m) + 26; }
constexpr double char_w = 7.2;  // a bold 11px capital is about 7.5 px wide; most labels are mixed case

struct Label {  // where a marker's or a fault's text goes
  double x = 0, y = 0;
  bool anchor_end = false;
};

std::string num(double v) { return fmt::format("{:.1f}", v); }

double x_of(const TimelineModel& m, std::int64_t us) {
  return left + plot_w * static_cast<double>(std::clamp<std::int64_t>(us, 0, m.end_us)) / static_cast<double>(m.end_us);
}

std::size_t text_chars(const std::string& s) {  // code points, not bytes
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xc0) != 0x80; }));
}

// Labels go in rows above the plot, first row that is free at that x, so
// a SIGTERM and the readiness flip 20 ms later do not print over each other.
class LabelRows {
 public:
  Label place(double x, const std::string& text) {
    const double w = static_cast<double>(text_chars(text)) * char_w + 4;
    const bool end = x + 3 + w > width - 2;
    const double from = end ? x - 3 - w : x + 3, to = end ? x - 3 : x + 3 + w;
    std::size_t row = 0;
    while (row < used_.size() && used_[row] > from) ++row;
    if (row == used_.size())  // all taken: overlap where it hurts least
      row = static_cast<std::size_t>(std::min_element(used_.begin(), used_.end()) - used_.begin());
    used_[row] = to + 6;
    return {end ? x - 3 : x + 3, row_h * static_cast<double>(row + 1), end};
  }

 private:
  std::array<double, label_rows> used_{};
};

// Every label's place, in time order whatever it labels, so the rows fill
// from left to right.
void place_labels(const TimelineModel& m, std::vector<Label>& faults, std::vector<Label>& markers) {
  struct Want {
    double x;
    const std::string* text;
    Label* where;
  };
  std::vector<Want> wants;
  for (std::size_t i = 0; i < m.faults.size(); ++i)
    wants.push_back({x_of(m, m.faults[i].from_us), &m.faults[i].label, &faults[i]});
  for (std::size_t i = 0; i < m.markers.size(); ++i)
    wants.push_back({x_of(m, m.markers[i].at_us), &m.markers[i].label, &markers[i]});
  std::stable_sort(wants.begin(), wants.end(), [](const Want& a, const Want& b) { return a.x < b.x; });
  LabelRows rows;
  for (const Want& w : wants) *w.where = rows.place(w.x, *w.text);
}

std::string label_text(const Label& l, const std::string& text) {
  return fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\"{}>{}</text>", num(l.x), num(l.y),
                     l.anchor_end ? " text-anchor=\"end\"" : "", xml_escape(text));
}

std::string time_text(std::int64_t us) {
  return us % 1'000'000 == 0 ? fmt::format("{}s", us / 1'000'000) : fmt::format("{:.1f}s", static_cast<double>(us) / 1e6);
}

std::size_t nice_ceiling(std::size_t n) {
  for (std::size_t p = 1;; p *= 10)
    for (std::size_t k : {10, 12, 15, 20, 25, 30, 40, 50, 60, 80})  // tenths
      if (k * p >= n * 10) return k * p / 10;
}

// A lane's name, right-aligned in the margin left of the plot. A sidecar's
// name is the user's: one too wide for the margin ("ambassador" at 11 px
// nearly is) is squeezed to fit, and one of more than 14 characters is cut
// with an ellipsis; the whole name is its tooltip.
std::string lane_name(const std::string& name, double y) {
  constexpr double room = left - 8, lane_char_w = 6.2;  // 11px regular text
  constexpr std::size_t longest = 14;
  std::string shown = name;
  if (shown.size() > longest) shown = shown.substr(0, longest - 1) + "\u2026";
  const double wide = static_cast<double>(std::min(name.size(), longest)) * lane_char_w;
  const std::string fit = wide > room ? fmt::format(" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"", room) : "";
  return fmt::format("<text class=\"lane-name\" x=\"{}\" y=\"{}\" text-anchor=\"end\"{}><title>{}</title>{}</text>", left - 6,
                     y, fit, xml_escape(name), xml_escape(shown));
}

void axes(std::string& out, const TimelineModel& m, std::size_t y_max) {
  out += fmt::format("<rect class=\"plot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", left, plot_top, plot_w, plot_h);
  std::int64_t step = 0;  // at most a dozen ticks
  for (std::int64_t s : {100'000, 200'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000, 15'000'000,
                         30'000'000, 60'000'000, 120'000'000, 300'000'000, 600'000'000}) {
    step = s;
    if (m.end_us / s <= 12) break;
  }
  for (std::int64_t t = 0; t <= m.end_us; t += step) {
    const double x = x_of(m, t);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(x), plot_top, lanes_bottom(m));
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(x),
                       lanes_bottom(m) + 16, time_text(t));
  }
  for (std::size_t v : {y_max / 2, y_max}) {
    if (v == 0) continue;
    const double y = plot_bottom - plot_h * static_cast<double>(v) / static_cast<double>(y_max);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", left, num(y), width - right);
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6, num(y + 4), v);
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", left - 6, plot_bottom + 4);
  std::vector<std::pair<std::string, double>> names{{std::string(history::app_container), app_lane_y}};
  for (std::size_t i = 0; i < m.sidecar_lanes.size(); ++i) names.emplace_back(m.sidecar_lanes[i].name, sidecar_lane_y(i));
  names.emplace_back(std::string(history::harness_lane), harness_lane_y(m));
  for (const auto& [name, y] : names) out += lane_name(name, y + 10);
}

void bars(std::string& out, const TimelineModel& m, std::size_t y_max) {
  const double slot = plot_w * static_cast<double>(m.bucket_us) / static_cast<double>(m.end_us);
  const double w = std::max(slot - (slot > 4 ? 1 : 0), 1.0);
  const double per_order = plot_h / static_cast<double>(y_max);
  for (const auto& b : m.buckets) {
    const double x = x_of(m, b.start_us);
    out += fmt::format("<g class=\"bar\"><title>{}–{}: {} accepted, {} refused, {} indeterminate</title>",
                       history::format_time(b.start_us), history::format_time(b.start_us + m.bucket_us), b.accepted,
                       b.refused, b.indeterminate);
    double y = plot_bottom;
    for (auto [n, cls] : {std::pair{b.accepted, "accepted"}, {b.refused, "refused"}, {b.indeterminate, "indeterminate"}}) {
      if (!n) continue;
      const double h = per_order * static_cast<double>(n);
      y -= h;
      out += fmt::format("<rect class=\"seg {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", cls, num(x), num(y),
                         num(w), num(h));
    }
    out += "</g>";
  }
}

void lane(std::string& out, const TimelineModel& m, const std::vector<Span>& spans, double y) {
  for (const auto& s : spans) {
    const double x0 = x_of(m, s.from_us), x1 = x_of(m, s.to_us), w = std::max(x1 - x0, 1.0);
    out += fmt::format("<rect class=\"state {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                       "<title>{} {}–{}</title></rect>",
                       s.kind, num(x0), y, num(w), lane_h, xml_escape(s.label), history::format_time(s.from_us),
                       history::format_time(s.to_us));
    if (w > static_cast<double>(text_chars(s.label)) * 5.6 + 6)
      out += fmt::format("<text class=\"lane-text\" x=\"{}\" y=\"{}\">{}</text>", num(x0 + 3), y + 9.5, xml_escape(s.label));
  }
}

}  // namespace

std::string render_timeline_svg(const TimelineModel& m, const std::string& id) {
  // Headroom above the fullest slice, so a steady load does not look clipped.
  const std::size_t y_max = nice_ceiling(std::max<std::size_t>((m.max_bucket * 9 + 7) / 8, 1));
  std::string out = fmt::format(
      "<svg class=\"timeline\" id=\"{0}-timeline\" viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" "
      "role=\"img\" aria-label=\"timeline: orders per {3} ms by outcome, pod events\" data-bucket-ms=\"{3}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      id, width, height_of(m), m.bucket_us / 1000);
  std::vector<Label> fault_labels(m.faults.size()), marker_labels(m.markers.size());
  place_labels(m, fault_labels, marker_labels);
  std::string labels;  // drawn last, over everything
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < m.faults.size(); ++i) {  // bands first: behind the bars
    const Span& f = m.faults[i];
    const Label& l = fault_labels[i];
    const double x0 = x_of(m, f.from_us), w = std::max(x_of(m, f.to_us) - x0, 2.0);
    const std::string fid = fmt::format("{}-fault-{}", id, ++seen["fault"]);
    out += fmt::format("<g class=\"fault-window\" id=\"{}\"><title>fault {} {}–{}</title>", fid, xml_escape(f.label),
                       history::format_time(f.from_us), history::format_time(f.to_us));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", num(x0), num(l.y + 3), num(w),
                       num(lanes_bottom(m) - l.y - 3));
    out += label_text(l, f.label) + "</g>";
  }
  axes(out, m, y_max);
  bars(out, m, y_max);
  lane(out, m, m.app_lane, app_lane_y);
  for (std::size_t i = 0; i < m.sidecar_lanes.size(); ++i) lane(out, m, m.sidecar_lanes[i].spans, sidecar_lane_y(i));
  lane(out, m, m.harness_lane, harness_lane_y(m));
  for (std::size_t i = 0; i < m.markers.size(); ++i) {
    const Marker& mk = m.markers[i];
    const Label& l = marker_labels[i];
    const double x = x_of(m, mk.at_us);
    labels += fmt::format(
        "<g class=\"marker {0}\" id=\"{1}-{0}-{2}\" data-t-us=\"{3}\"><title>{4}</title>"
        "<line x1=\"{5}\" y1=\"{6}\" x2=\"{5}\" y2=\"{7}\"/>{8}</g>",
        mk.kind, id, ++seen[mk.kind], mk.at_us, xml_escape(mk.title), num(x), num(l.y + 3), lanes_bottom(m),
        label_text(l, mk.label));
  }
  return out + labels + "</svg>";
}

std::string render_legend(const TimelineModel& m) {
  auto item = [](const std::string& key, std::string_view text) {
    return fmt::format("<li><svg class=\"key\" width=\"22\" height=\"12\" viewBox=\"0 0 22 12\">{}</svg>{}</li>", key, text);
  };
  auto box = [](std::string_view cls) {
    return fmt::format("<rect class=\"{}\" x=\"2\" y=\"1\" width=\"18\" height=\"10\"/>", cls);
  };
  std::string out = fmt::format("<div class=\"legend\"><ul><li class=\"group\">orders per {} ms</li>", m.bucket_us / 1000);
  for (auto [cls, text] : {std::pair{"accepted", "accepted"}, {"refused", "refused"}, {"indeterminate", "indeterminate"}})
    out += item(box(fmt::format("seg {}", cls)), text);
  out += "</ul><ul><li class=\"group\">events</li>";
  static const std::vector<std::pair<std::string_view, std::string_view>> marker_names{
      {"start", "start"}, {"restart", "restart"}, {"ready", "ready"}, {"not-ready", "readiness flip"},
      {"sigterm", "SIGTERM"}, {"grace-deadline", "grace deadline"}, {"sigkill", "SIGKILL"}, {"signal", "other signal"},
      {"exit", "exit"}, {"crash", "crash (an exit nothing the harness did explains)"}, {"leftover", "leftover process"},
      {"scale-down", "scale to zero (the activator stops the pod)"}, {"scale-up", "cold start (a held request starts it)"}};
  std::set<std::string_view> kinds;
  for (const auto& mk : m.markers) kinds.insert(mk.kind);
  for (auto [cls, text] : marker_names)
    if (kinds.count(cls))
      out += item(fmt::format("<g class=\"marker {}\"><line x1=\"11\" y1=\"0\" x2=\"11\" y2=\"12\"/></g>", cls), text);
  if (!m.faults.empty()) out += item("<g class=\"fault-window\">" + box("") + "</g>", "fault window");
  out += "</ul><ul><li class=\"group\">lanes</li>";
  std::set<std::string> states;
  for (const auto* lanes : {&m.app_lane, &m.harness_lane})
    for (const auto& s : *lanes) states.insert(s.kind);
  for (const auto& l : m.sidecar_lanes)
    for (const auto& s : l.spans) states.insert(s.kind);
  for (auto [cls, text] : {std::pair{"starting", "starting"}, {"ready", "ready"}, {"not-ready", "not ready"},
                           {"running", "sidecar running"}, {"stopping", "sidecar stopping (SIGTERM sent)"},
                           {"serving", "activator routing to the pod"}, {"scaling-down", "activator scaling to zero"},
                           {"at-zero", "at zero (requests held)"},
                           {"load", "load"}, {"settle", "settle"}})
    if (states.count(cls)) out += item(box(fmt::format("state {}", cls)), text);
  return out + "</ul></div>";
}

}  // namespace firedrill::reports
