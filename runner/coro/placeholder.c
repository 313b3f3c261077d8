/* replaced by the coroutine work */
typedef int eb_coro_placeholder;
