#include "history/event.hpp"

#include <array>
#include <utility>

namespace firedrill::history {
namespace {
constexpr std::array<std::pair<EventKind, std::string_view>, 20> names{{
    {EventKind::pod_start, "pod-start"},
    {EventKind::ready, "ready"},
    {EventKind::not_ready, "not-ready"},
    {EventKind::signal, "signal"},
    {EventKind::exit, "exit"},
    {EventKind::grace_deadline, "grace-deadline"},
    {EventKind::load_start, "load-start"},
    {EventKind::load_end, "load-end"},
    {EventKind::settle_start, "settle-start"},
    {EventKind::leftover, "leftover"},
    {EventKind::fault_on, "fault-on"},
    {EventKind::fault_off, "fault-off"},
    {EventKind::start_note, "start-note"},
    {EventKind::scale_down, "scale-down"},
    {EventKind::at_zero, "at-zero"},
    {EventKind::scale_up, "scale-up"},
    {EventKind::serving, "serving"},
    {EventKind::held, "held"},
    {EventKind::hold_timeout, "hold-timeout"},
    {EventKind::hold_overflow, "hold-overflow"},
}};
}  // namespace

std::string_view to_string(EventKind k) {
  for (auto& [v, n] : names)
    if (v == k) return n;
  return "?";
}
bool parse_event_kind(std::string_view s, EventKind& k) {
  for (auto& [v, n] : names)
    if (n == s) { k = v; return true; }
  return false;
}

}  // namespace firedrill::history
