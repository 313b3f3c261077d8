/* current_task.c — see current_task.h. */
#include "current_task.h"

static _Thread_local eb_current_task current = {-1, 0};

eb_current_task eb_current_task_get(void)
{
    return current;
}

eb_current_task eb_current_task_set(eb_current_task now)
{
    eb_current_task previous = current;
    current = now;
    return previous;
}
