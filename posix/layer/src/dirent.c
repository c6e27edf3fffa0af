/*
 * <dirent.h> over GetDents. The kernel fills a buffer with Linux `linux_dirent64` records
 * (u64 d_ino, i64 d_off, u16 d_reclen, u8 d_type, NUL-terminated name; 8-aligned); a stream
 * reads a buffer at a time and hands out one `struct dirent` per record.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

size_t __bk_dirent_decode(const unsigned char *buf, size_t len, size_t pos, struct dirent *out);

/* d_type goes from the kernel's record to the app untouched, so <sys/dirent.h>'s DT_* must be
 * the spec's (Linux's) values, the ones the kernel's are generated from. */
_Static_assert(DT_UNKNOWN == BK_DT_UNKNOWN && DT_FIFO == BK_DT_FIFO && DT_CHR == BK_DT_CHR &&
               DT_DIR == BK_DT_DIR && DT_BLK == BK_DT_BLK && DT_REG == BK_DT_REG &&
               DT_LNK == BK_DT_LNK && DT_SOCK == BK_DT_SOCK, "DT_* are not the spec's values");

struct __bk_dir {
    int fd;
    size_t pos, len;
    long loc; /* entries handed out since the start, for telldir() */
    struct dirent ent;
    unsigned char buf[1024];
};

DIR *fdopendir(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return NULL;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return NULL;
    }
    DIR *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->fd = fd;
    return d;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        (void)close(fd);
        errno = e;
    }
    return d;
}

struct dirent *readdir(DIR *d)
{
    if (!d) {
        errno = EBADF;
        return NULL;
    }
    for (;;) {
        if (d->pos < d->len) {
            size_t n = __bk_dirent_decode(d->buf, d->len, d->pos, &d->ent);
            if (n == 0) {
                /* A record the kernel cut short: treat as the end rather than read garbage. */
                d->pos = d->len = 0;
                errno = EIO;
                return NULL;
            }
            d->pos += n;
            d->loc++;
            return &d->ent;
        }
        long r = bk_fix(bk_getdents(d->fd, d->buf, sizeof d->buf));
        if (r <= 0)
            return NULL; /* end of directory (errno untouched) or error (errno set) */
        d->len = (size_t)r;
        d->pos = 0;
    }
}

int readdir_r(DIR *restrict d, struct dirent *restrict entry, struct dirent **restrict result)
{
    int saved = errno;
    errno = 0;
    struct dirent *e = readdir(d);
    int err = errno;
    errno = saved;
    if (!e) {
        *result = NULL;
        return err;
    }
    memcpy(entry, e, sizeof *entry);
    *result = entry;
    return 0;
}

int closedir(DIR *d)
{
    if (!d) {
        errno = EBADF;
        return -1;
    }
    int r = close(d->fd);
    free(d);
    return r;
}

void rewinddir(DIR *d)
{
    if (!d)
        return;
    (void)lseek(d->fd, 0, SEEK_SET);
    d->pos = d->len = 0;
    d->loc = 0;
}

int dirfd(DIR *d)
{
    if (!d) {
        errno = EINVAL;
        return -1;
    }
    return d->fd;
}

long telldir(DIR *d)
{
    return d->loc;
}

/* Positions are entry counts: rewind and skip, which is exact for an unchanged directory. */
void seekdir(DIR *d, long loc)
{
    rewinddir(d);
    while (d->loc < loc && readdir(d))
        ;
}
