/* getpwuid() for the sqlite3 shell on BlueOS, which has no user database (the layer lacks the
 * <pwd.h> functions). The shell asks for the user's home folder to find ~/.sqliterc; with no
 * entry ("not found": NULL, errno unchanged, as POSIX says) it falls back to $HOME. */
#include <pwd.h>
#include <stddef.h>

struct passwd *getpwuid(uid_t uid)
{
    (void)uid;
    return NULL;
}
