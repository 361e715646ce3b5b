#include "history/recorder.hpp"

namespace firedrill::history {

void Recorder::add(EventKind kind, std::string_view container, int generation, std::int64_t at_us, std::string detail) {
  Event e;
  e.at_us = at_us;
  e.kind = kind;
  e.container = std::string(container);
  e.generation = generation;
  e.detail = std::move(detail);
  history_.events.push_back(std::move(e));
}

void Recorder::started(std::string_view container, int generation, std::string command) {
  add(EventKind::pod_start, container, generation, now_us(), std::move(command));
}

void Recorder::signalled(std::string_view container, int generation, int signal, bool by_harness, bool delivered) {
  add(EventKind::signal, container, generation, now_us(), delivered ? "" : "not running: the signal reached no process");
  history_.events.back().signal = signal;
  history_.events.back().by_harness = by_harness;
  history_.events.back().delivered = delivered;
}

void Recorder::exited(std::string_view container, int generation, std::int64_t at_us, int exit_code, int signal) {
  add(EventKind::exit, container, generation, at_us);
  history_.events.back().exit_code = exit_code;
  history_.events.back().signal = signal;
}

void Recorder::grace_ended(std::string_view container, int generation) {
  add(EventKind::grace_deadline, container, generation, now_us());
}

void Recorder::leftover(int generation, std::string pid_and_command) {
  add(EventKind::leftover, pod_lane, generation, now_us(), std::move(pid_and_command));
}

void Recorder::start_note(std::string_view container, int generation, std::string note) {
  add(EventKind::start_note, container, generation, now_us(), std::move(note));
}

void Recorder::readiness(bool ready, int generation, std::int64_t at_us, std::string why) {
  add(ready ? EventKind::ready : EventKind::not_ready, app_container, generation, at_us, std::move(why));
}

void Recorder::load_started(int generation, std::int64_t at_us) {
  add(EventKind::load_start, harness_lane, generation, at_us);
}

void Recorder::load_ended(int generation) { add(EventKind::load_end, harness_lane, generation, now_us()); }

std::size_t Recorder::settle_started(int generation) {
  add(EventKind::settle_start, harness_lane, generation, now_us());
  return history_.events.size() - 1;
}

void Recorder::settle_ended_with(std::size_t settle_event, std::string detail) {
  history_.events.at(settle_event).detail = std::move(detail);
}

void Recorder::fault_on(std::string_view dependency, int generation, std::string description) {
  add(EventKind::fault_on, dependency, generation, now_us(), std::move(description));
}

void Recorder::fault_off(std::string_view dependency, int generation, std::string description) {
  add(EventKind::fault_off, dependency, generation, now_us(), std::move(description));
}

void Recorder::activator(EventKind transition, int cycle, std::string detail) {
  add(transition, activator_lane, cycle, now_us(), std::move(detail));
}

void Recorder::held(EventKind how, int cycle, std::int64_t arrived_us, std::int64_t at_us, std::string order_id) {
  add(how, activator_lane, cycle, at_us, std::move(order_id));
  history_.events.back().since_us = arrived_us;
}

bool Recorder::ready_since_start(int generation) const {
  for (const auto& e : history_.events)
    if (e.kind == EventKind::ready && e.container == app_container && e.generation == generation) return true;
  return false;
}

}  // namespace firedrill::history
