/*
 * Decoding of the kernel's getdents records (Linux `linux_dirent64`: u64 d_ino, i64 d_off,
 * u16 d_reclen, u8 d_type, NUL-terminated name, records 8-aligned). Pure: no system calls, so
 * tests/layer/ also runs it on the host against records built in Python.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#define DIRENT_HEADER 19 /* offset of d_name in linux_dirent64 */
#define NAME_MAX_ (sizeof(((struct dirent *)0)->d_name) - 1)

/* Decode the record at buf[pos] into *out; returns its length, 0 if malformed (cut short or a
 * length that does not fit). Names longer than d_name are truncated. */
size_t __bk_dirent_decode(const unsigned char *buf, size_t len, size_t pos, struct dirent *out);
size_t __bk_dirent_decode(const unsigned char *buf, size_t len, size_t pos, struct dirent *out);
size_t __bk_dirent_decode(const unsigned char *buf, size_t len, size_t pos, struct dirent *out)
{
    if (pos + DIRENT_HEADER > len)
        return 0;
    const unsigned char *r = buf + pos;
    uint64_t ino;
    uint16_t reclen;
    memcpy(&ino, r, sizeof ino);
    memcpy(&reclen, r + 16, sizeof reclen);
    if (reclen < DIRENT_HEADER + 1 || pos + reclen > len)
        return 0;
    size_t n = strnlen((const char *)r + DIRENT_HEADER, reclen - DIRENT_HEADER);
    if (n > NAME_MAX_)
        n = NAME_MAX_;
    out->d_ino = (ino_t)ino;
    out->d_type = r[18];
    memcpy(out->d_name, r + DIRENT_HEADER, n);
    out->d_name[n] = '\0';
    return reclen;
}

