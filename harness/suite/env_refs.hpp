// The ${...} references a container's own `env` may hold (SPEC §1), checked
// when the suite is read and expanded when the container starts:
// ${PAYMENT_URL}, ${COURIER_URL} and ${OTEL_EXPORTER_OTLP_ENDPOINT} (the
// harness's, through its fault proxies) and ${PORT_<NAME>} (the port of a
// container of the pod). So an
// app can send its payment calls to its ambassador,
// `PAYMENT_URL: http://127.0.0.1:${PORT_AMBASSADOR}/payment`, while the
// ambassador keeps the harness's PAYMENT_URL.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firedrill::suite {

// PORT_<NAME>: the name upper-cased, '-' as '_' (PORT_APP, PORT_SHIPPER).
std::string port_variable(std::string_view container);

// Nothing when every ${...} in `value` names one of `known`; else what is
// wrong ("${X} is not one of ..."; "an unclosed ${").
std::optional<std::string> check_references(std::string_view value, const std::vector<std::string>& known);

// `value` with each ${NAME} replaced from `values` (checked before: every
// name is there). A '$' not followed by '{' stays as it is.
std::string expand(std::string_view value, const std::map<std::string, std::string>& values);

}  // namespace firedrill::suite
