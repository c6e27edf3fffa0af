/* system() on a system without a command interpreter: system(NULL) says there is none (0), and a
 * command fails with -1/ENOSYS instead of pretending to have run (Lua's os.execute, SQLite's
 * .system). */
#include <errno.h>
#include <stdlib.h>

#include "conform.h"

int main(void)
{
    CHECK(system(NULL) == 0, "system: system(NULL) is 0: no command interpreter");
    CHECK_ERR(system("exit 3"), ENOSYS, "system: system(\"exit 3\")");
    CHECK_ERR(system(""), ENOSYS, "system: system(\"\")");
    CONFORM_DONE();
}
