/* <spawn.h>: picolibc's, plus POSIX.1-2024's posix_spawn_file_actions_addchdir and
 * posix_spawn_file_actions_addfchdir, which it does not declare yet (spawn.c has both). */
#ifndef BKPORT_LAYER_SPAWN_H
#define BKPORT_LAYER_SPAWN_H

#include_next <spawn.h>

#ifdef __cplusplus
extern "C" {
#endif
int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *__restrict __fa,
                                      const char *__restrict __path);
int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *__fa, int __fd);
#ifdef __cplusplus
}
#endif

#endif
