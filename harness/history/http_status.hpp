// Status-line rules shared by firedrill's two HTTP clients, the load
// generator's order client and the probes.
#pragma once

namespace firedrill::history {

// A 1xx answer (100 Continue, 103 Early Hints) is interim: the final one
// follows on the same stream (RFC 9110 §15.2). 101 switches protocols and
// ends HTTP on the connection, so it is final (and unexpected).
constexpr bool is_interim(int status) { return status >= 100 && status < 200 && status != 101; }

// Interim answers read past before the final one, at most.
inline constexpr int max_interim_answers = 8;

// Beast's parser takes any three digits; only these are HTTP statuses.
constexpr bool is_http_status(int status) { return status >= 100 && status <= 599; }

}  // namespace firedrill::history
