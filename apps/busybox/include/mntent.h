/* bkport compat for busybox: glibc's <mntent.h>. BlueOS has no mount table (/etc/mtab,
 * /proc/mounts): the declarations let libbb compile; the applets that read the table (mount,
 * df, ...) are not in this port, and no definition is provided. */
#ifndef BKPORT_BUSYBOX_MNTENT_H
#define BKPORT_BUSYBOX_MNTENT_H
#include <stdio.h>
#define MOUNTED "/etc/mtab"
#define MNTTAB "/etc/fstab"
struct mntent {
    char *mnt_fsname, *mnt_dir, *mnt_type, *mnt_opts;
    int mnt_freq, mnt_passno;
};
FILE *setmntent(const char *file, const char *mode);
struct mntent *getmntent(FILE *stream);
struct mntent *getmntent_r(FILE *stream, struct mntent *mnt, char *buf, int len);
int addmntent(FILE *stream, const struct mntent *mnt);
int endmntent(FILE *stream);
char *hasmntopt(const struct mntent *mnt, const char *opt);
#endif
