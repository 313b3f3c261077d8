/* pin_policies.c — every pin policy, one line each (pin.h). */
#include "pin.h"

#include <string.h>

/* One line each, as the other registries. */
/* clang-format off */
const eb_pin_policy *const eb_pin_policies[] = {
    &eb_pin_none,
    &eb_pin_compact,
    &eb_pin_scatter,
    &eb_pin_pu,
    &eb_pin_cpuset,
};
/* clang-format on */
const size_t eb_pin_policy_count = sizeof eb_pin_policies / sizeof *eb_pin_policies;

const eb_pin_policy *eb_pin_policy_find(const char *name)
{
    for (size_t i = 0; i < eb_pin_policy_count; i++)
        if (!eb_pin_policies[i]->from_list && strcmp(eb_pin_policies[i]->name, name) == 0)
            return eb_pin_policies[i];
    return NULL;
}
