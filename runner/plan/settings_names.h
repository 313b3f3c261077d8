/* settings_names.h — what the settings table's entries call
 * (settings_names.c): names from the registries for --help and messages,
 * and checks of a value. */
#ifndef EB_SETTINGS_NAMES_H
#define EB_SETTINGS_NAMES_H

#include <stddef.h>

void eb_names_presets(char *buf, size_t len);
void eb_names_preset_repetitions(char *buf, size_t len);
void eb_names_workloads(char *buf, size_t len);
void eb_names_workload_tasks(char *buf, size_t len);
void eb_names_executors(char *buf, size_t len);
void eb_names_executor_workers(char *buf, size_t len);
void eb_names_pin_policies(char *buf, size_t len);
void eb_names_backends(char *buf, size_t len);
const char *eb_names_backend(size_t i);
void eb_names_orders(char *buf, size_t len);
const char *eb_names_order(size_t i);
void eb_names_spawns(char *buf, size_t len);
const char *eb_names_spawn(size_t i);
void eb_names_coro_stacks(char *buf, size_t len);
void eb_names_reactors(char *buf, size_t len);
const char *eb_names_reactor(size_t i);
int eb_check_preset(const char *value, char *why, size_t why_len);
int eb_check_micro_filter(const char *value, char *why, size_t why_len);
int eb_check_server_cpuset(const char *value, char *why, size_t why_len);
/* The mpi executor's settings (settings_mpi.c). */
const char *eb_names_mpi_claim(size_t i);
const char *eb_names_mpi_binding(size_t i);
void eb_names_rank_executors(char *buf, size_t len);
int eb_check_rank_executor(const char *value, char *why, size_t why_len);

#endif
