/* micro.h — the families of execbench-micro; each registers itself here. */
#ifndef EB_MICRO_H
#define EB_MICRO_H

void micro_sumsq_register(void);

#endif
