/* keys.c — the key table of keys.h as data. */
#include "keys.h"

#define EB_KEY_ENTRY(name, kind, scope) {name, kind, scope},

const eb_key_info eb_keys[] = {EB_KEY_TABLE(EB_KEY_ENTRY)};
const unsigned eb_key_count = sizeof eb_keys / sizeof eb_keys[0];
