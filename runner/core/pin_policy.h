/* pin_policy.h — what a pin policy's file needs beyond pin.h: the hwloc
 * topology itself. Only the policies (pin_orders.c and any new one) and
 * pin.c include it, so hwloc stays out of everyone else's headers. */
#ifndef EB_PIN_POLICY_H
#define EB_PIN_POLICY_H

#include "pin.h"

#include <hwloc.h>

hwloc_topology_t eb_topology_hwloc(const eb_topology *t);

#endif
