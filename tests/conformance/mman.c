/* <sys/mman.h> without an MMU: anonymous and private mappings, locking, shared memory names. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "anonymous mmap");
    CHECK(((uintptr_t)p & 4095) == 0, "page-aligned");
    int zero = 1;
    for (int i = 0; p != MAP_FAILED && i < 8192; i++)
        zero &= p[i] == 0;
    CHECK(zero, "anonymous memory is zeroed");
    CHECK(munmap(p, 8192) == 0, "munmap");
    errno = 0;
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
          errno == EINVAL, "mmap of length 0: EINVAL");
    int fd = open("/m.txt", O_RDWR | O_CREAT, 0644);
    write(fd, "mapped file", 11);
    p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED && !memcmp(p, "mapped file", 11), "private file mapping has the data");
    CHECK(lseek(fd, 0, SEEK_CUR) == 11, "mmap leaves the file offset alone");
    munmap(p, 4096);
    close(fd);
    CHECK(mlock(&fd, sizeof fd) == 0 && munlock(&fd, sizeof fd) == 0, "mlock/munlock");
    CHECK(mlockall(MCL_CURRENT) == 0 && munlockall() == 0, "mlockall/munlockall");
    CHECK_ERR(mlockall(0), EINVAL, "mlockall(0): EINVAL");
    int s = shm_open("/shm1", O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(s >= 0, "shm_open O_CREAT");
    CHECK_ERR(shm_open("/shm1", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST,
              "shm_open O_EXCL of an existing name: EEXIST");
    CHECK(ftruncate(s, 100) == 0, "ftruncate a shared memory object");
    close(s);
    CHECK(shm_unlink("/shm1") == 0, "shm_unlink");
    CHECK_ERR(shm_open("/shm1", O_RDWR, 0), ENOENT, "unlinked object: ENOENT");
    CONFORM_DONE();
}
