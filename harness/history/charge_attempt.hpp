// One request to the payment gateway stub, as its ledger records it and the
// charged-once check reads it: 32 bytes, so the ledger of a long run (one
// attempt an order, more under faults) stays small and moves from the stub
// to the check without a copy.
#pragma once
#include <cstdint>

#include "history/order_id.hpp"

namespace firedrill::history {

struct ChargeAttempt {
  OrderId order_id;
  OrderId key;              // empty when the request carried no idempotency key
  std::int64_t at_us = 0;
  bool new_charge = false;  // false: an idempotent replay of an earlier key
};

}  // namespace firedrill::history
