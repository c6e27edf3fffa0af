"""Data for scripts/seed_posix_spec.py: what the installed headers cannot tell.

Prototypes written from the standard, representative types, and the constant name patterns
taken from Linux's headers. Used once, to seed posix/spec/; the spec files are the truth since.
"""

# ruff: noqa: E501  (TRACE_PROTOS keeps one C prototype per line, as the standard prints them)

from __future__ import annotations

import re

# Interfaces interfaces.tsv gives no header for (2024 additions), from POSIX.1-2024.
HEADER_FOR = {
    "accept4": "sys/socket.h", "asprintf": "stdio.h", "vasprintf": "stdio.h",
    "dladdr": "dlfcn.h", "dup3": "unistd.h", "pipe2": "unistd.h", "posix_close": "unistd.h",
    "ffsl": "strings.h", "ffsll": "strings.h", "in6addr_any": "netinet/in.h",
    "in6addr_loopback": "netinet/in.h", "mkostemp": "stdlib.h", "ptsname_r": "stdlib.h",
    "secure_getenv": "stdlib.h", "posix_spawn_file_actions_addchdir": "spawn.h",
    "posix_spawn_file_actions_addfchdir": "spawn.h", "str2sig": "signal.h",
    "tcgetwinsize": "termios.h", "tcsetwinsize": "termios.h",
}
for _n in ("16", "32", "64"):
    for _f in ("be{}toh", "le{}toh", "htobe{}", "htole{}"):
        HEADER_FOR[_f.format(_n)] = "endian.h"
for _op in ("add", "sub", "or", "xor", "and"):
    HEADER_FOR[f"atomic_fetch_{_op}"] = "stdatomic.h"
    HEADER_FOR[f"atomic_fetch_{_op}_explicit"] = "stdatomic.h"

# Written from the standard: no installed header declares these (removed STREAMS and trace
# calls, 2024 additions glibc 2.36 lacks) or glibc's declaration is not the POSIX one.
MANUAL: dict[str, tuple[str, str]] = {
    # STREAMS (<stropts.h>, removed by 2024)
    "fattach": ("proto", "int fattach(int fildes, const char *path);"),
    "fdetach": ("proto", "int fdetach(const char *path);"),
    "getmsg": ("proto", "int getmsg(int fildes, struct strbuf *restrict ctlptr, "
               "struct strbuf *restrict dataptr, int *restrict flagsp);"),
    "getpmsg": ("proto", "int getpmsg(int fildes, struct strbuf *restrict ctlptr, "
                "struct strbuf *restrict dataptr, int *restrict bandp, int *restrict flagsp);"),
    "putmsg": ("proto", "int putmsg(int fildes, const struct strbuf *ctlptr, "
               "const struct strbuf *dataptr, int flags);"),
    "putpmsg": ("proto", "int putpmsg(int fildes, const struct strbuf *ctlptr, "
                "const struct strbuf *dataptr, int band, int flags);"),
    "isastream": ("proto", "int isastream(int fildes);"),
    "ioctl": ("proto", "int ioctl(int fildes, int request, ...);"),
    # glibc spells these differently from POSIX
    "signal": ("proto", "void (*signal(int sig, void (*func)(int)))(int);"),
    "sigset": ("proto", "void (*sigset(int sig, void (*disp)(int)))(int);"),
    "setjmp": ("proto", "int setjmp(jmp_buf env);"),
    "sigsetjmp": ("proto", "int sigsetjmp(sigjmp_buf env, int savemask);"),
    "_setjmp": ("proto", "int _setjmp(jmp_buf env);"),
    "longjmp": ("proto", "void longjmp(jmp_buf env, int val);"),
    "_longjmp": ("proto", "void _longjmp(jmp_buf env, int val);"),
    "siglongjmp": ("proto", "void siglongjmp(sigjmp_buf env, int val);"),
    "gets": ("proto", "char *gets(char *s);"),
    "strlen": ("proto", "size_t strlen(const char *s);"),
    "strspn": ("proto", "size_t strspn(const char *s1, const char *s2);"),
    "strcspn": ("proto", "size_t strcspn(const char *s1, const char *s2);"),
    "strxfrm": ("proto", "size_t strxfrm(char *restrict s1, const char *restrict s2, size_t n);"),
    "wcslen": ("proto", "size_t wcslen(const wchar_t *ws);"),
    "fread": ("proto", "size_t fread(void *restrict ptr, size_t size, size_t nitems, "
              "FILE *restrict stream);"),
    "fwrite": ("proto", "size_t fwrite(const void *restrict ptr, size_t size, size_t nitems, "
               "FILE *restrict stream);"),
    # clang's builtins spell wchar_t as int; glibc's regexec uses a GNU parameter-size syntax
    "wcschr": ("proto", "wchar_t *wcschr(const wchar_t *ws, wchar_t wc);"),
    "wmemchr": ("proto", "wchar_t *wmemchr(const wchar_t *ws, wchar_t wc, size_t n);"),
    "wmemcpy": ("proto", "wchar_t *wmemcpy(wchar_t *restrict ws1, const wchar_t *restrict ws2, "
                "size_t n);"),
    "wmemmove": ("proto", "wchar_t *wmemmove(wchar_t *ws1, const wchar_t *ws2, size_t n);"),
    "regexec": ("proto", "int regexec(const regex_t *restrict preg, const char *restrict string, "
                "size_t nmatch, regmatch_t pmatch[restrict], int eflags);"),
    "strerror_r": ("proto", "int strerror_r(int errnum, char *strerrbuf, size_t buflen);"),
    "basename": ("proto", "char *basename(char *path);"),
    "errno": ("macro", "errno"),
    # 2024 additions glibc 2.36 does not declare
    "posix_close": ("proto", "int posix_close(int fildes, int flag);"),
    "str2sig": ("proto", "int str2sig(const char *restrict str, int *restrict pnum);"),
    "sig2str": ("proto", "int sig2str(int signum, char *str);"),
    "tcgetwinsize": ("proto", "int tcgetwinsize(int fildes, struct winsize *winsize_p);"),
    "tcsetwinsize": ("proto", "int tcsetwinsize(int fildes, const struct winsize *winsize_p);"),
    "ptsname_r": ("proto", "int ptsname_r(int fildes, char *buf, size_t buflen);"),
    "posix_spawn_file_actions_addchdir": (
        "proto", "int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *restrict "
        "file_actions, const char *restrict path);"),
    "posix_spawn_file_actions_addfchdir": (
        "proto", "int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *"
        "file_actions, int fildes);"),
    "posix_getdents": ("proto", "ssize_t posix_getdents(int fildes, void *buf, size_t nbyte, "
                       "int flags);"),
    "posix_devctl": ("proto", "int posix_devctl(int fildes, int dcmd, void *restrict dev_data_ptr,"
                     " size_t nbyte, int *restrict dev_info_ptr);"),
    "pthread_cond_clockwait": (
        "proto", "int pthread_cond_clockwait(pthread_cond_t *restrict cond, pthread_mutex_t "
        "*restrict mutex, clockid_t clock_id, const struct timespec *restrict abstime);"),
    "pthread_mutex_clocklock": (
        "proto", "int pthread_mutex_clocklock(pthread_mutex_t *restrict mutex, clockid_t clock_id,"
        " const struct timespec *restrict abstime);"),
    "pthread_rwlock_clockrdlock": (
        "proto", "int pthread_rwlock_clockrdlock(pthread_rwlock_t *restrict rwlock, clockid_t "
        "clock_id, const struct timespec *restrict abstime);"),
    "pthread_rwlock_clockwrlock": (
        "proto", "int pthread_rwlock_clockwrlock(pthread_rwlock_t *restrict rwlock, clockid_t "
        "clock_id, const struct timespec *restrict abstime);"),
    "sem_clockwait": ("proto", "int sem_clockwait(sem_t *restrict sem, clockid_t clock_id, "
                      "const struct timespec *restrict abstime);"),
    "timespec_get": ("proto", "int timespec_get(struct timespec *ts, int base);"),
    "quick_exit": ("proto", "_Noreturn void quick_exit(int status);"),
    "at_quick_exit": ("proto", "int at_quick_exit(void (*func)(void));"),
    "getentropy": ("proto", "int getentropy(void *buffer, size_t length);"),
    "getlocalename_l": ("proto", "const char *getlocalename_l(int category, locale_t locobj);"),
    "memmem": ("proto", "void *memmem(const void *haystack, size_t haystacklen, "
               "const void *needle, size_t needlelen);"),
    "strlcpy": ("proto", "size_t strlcpy(char *restrict dst, const char *restrict src, "
                "size_t dstsize);"),
    "strlcat": ("proto", "size_t strlcat(char *restrict dst, const char *restrict src, "
                "size_t dstsize);"),
    "wcslcpy": ("proto", "size_t wcslcpy(wchar_t *restrict dst, const wchar_t *restrict src, "
                "size_t dstsize);"),
    "wcslcat": ("proto", "size_t wcslcat(wchar_t *restrict dst, const wchar_t *restrict src, "
                "size_t dstsize);"),
    "ppoll": ("proto", "int ppoll(struct pollfd fds[], nfds_t nfds, const struct timespec "
              "*restrict timeout, const sigset_t *restrict sigmask);"),
    "reallocarray": ("proto", "void *reallocarray(void *ptr, size_t nelem, size_t elsize);"),
    "qsort_r": ("proto", "void qsort_r(void *base, size_t nel, size_t width, int (*compar)"
                "(const void *, const void *, void *), void *arg);"),
    "mkostemp": ("proto", "int mkostemp(char *template, int flag);"),
    "dladdr": ("proto", "int dladdr(const void *restrict addr, Dl_info_t *restrict dlip);"),
    "gettext_l": ("proto", "char *gettext_l(const char *msgid, locale_t locale);"),
    "dgettext_l": ("proto", "char *dgettext_l(const char *domainname, const char *msgid, "
                   "locale_t locale);"),
    "dcgettext_l": ("proto", "char *dcgettext_l(const char *domainname, const char *msgid, "
                    "int category, locale_t locale);"),
    "ngettext_l": ("proto", "char *ngettext_l(const char *msgid1, const char *msgid2, "
                   "unsigned long n, locale_t locale);"),
    "dngettext_l": ("proto", "char *dngettext_l(const char *domainname, const char *msgid1, "
                    "const char *msgid2, unsigned long n, locale_t locale);"),
    "dcngettext_l": ("proto", "char *dcngettext_l(const char *domainname, const char *msgid1, "
                     "const char *msgid2, unsigned long n, int category, locale_t locale);"),
    # removed by 2024 or only in RTEMS's sheet
    "atomic_fetch_key": ("macro", "atomic_fetch_key(object, operand)"),
    "atomic_fetch_key_explicit": ("macro", "atomic_fetch_key_explicit(object, operand, order)"),
    "CMPLX": ("macro", "double complex CMPLX(double x, double y)"),
    "CMPLXF": ("macro", "float complex CMPLXF(float x, float y)"),
    "CMPLXL": ("macro", "long double complex CMPLXL(long double x, long double y)"),
    "INTN_C": ("macro", "INTN_C(value)"),
    "UINTN_C": ("macro", "UINTN_C(value)"),
    "S_TYPEISTMO": ("macro", "int S_TYPEISTMO(struct stat *buf)"),
    "dbm_clearerr": ("proto", "int dbm_clearerr(DBM *db);"),
    "dbm_close": ("proto", "void dbm_close(DBM *db);"),
    "dbm_delete": ("proto", "int dbm_delete(DBM *db, datum key);"),
    "dbm_error": ("proto", "int dbm_error(DBM *db);"),
    "dbm_fetch": ("proto", "datum dbm_fetch(DBM *db, datum key);"),
    "dbm_firstkey": ("proto", "datum dbm_firstkey(DBM *db);"),
    "dbm_nextkey": ("proto", "datum dbm_nextkey(DBM *db);"),
    "dbm_open": ("proto", "DBM *dbm_open(const char *file, int open_flags, mode_t file_mode);"),
    "dbm_store": ("proto", "int dbm_store(DBM *db, datum key, datum content, int store_mode);"),
    "encrypt": ("proto", "void encrypt(char block[64], int edflag);"),
    "setkey": ("proto", "void setkey(const char *key);"),
    "posix_mem_offset": ("proto", "int posix_mem_offset(const void *restrict addr, size_t len, "
                         "off_t *restrict off, size_t *restrict contig_len, "
                         "int *restrict fildes);"),
    "posix_typed_mem_get_info": ("proto", "int posix_typed_mem_get_info(int fildes, "
                                 "struct posix_typed_mem_info *info);"),
    "posix_typed_mem_open": ("proto", "int posix_typed_mem_open(const char *name, int oflag, "
                             "int tflag);"),
}
# <trace.h> (removed by 2024): every function takes a trace id and most an attr or event.
TRACE_PROTOS = """
int posix_trace_attr_destroy(trace_attr_t *attr);
int posix_trace_attr_getclockres(const trace_attr_t *attr, struct timespec *resolution);
int posix_trace_attr_getcreatetime(const trace_attr_t *attr, struct timespec *createtime);
int posix_trace_attr_getgenversion(const trace_attr_t *attr, char *genversion);
int posix_trace_attr_getinherited(const trace_attr_t *restrict attr, int *restrict inheritancepolicy);
int posix_trace_attr_getlogfullpolicy(const trace_attr_t *restrict attr, int *restrict logpolicy);
int posix_trace_attr_getlogsize(const trace_attr_t *restrict attr, size_t *restrict logsize);
int posix_trace_attr_getmaxdatasize(const trace_attr_t *restrict attr, size_t *restrict maxdatasize);
int posix_trace_attr_getmaxsystemeventsize(const trace_attr_t *restrict attr, size_t *restrict eventsize);
int posix_trace_attr_getmaxusereventsize(const trace_attr_t *restrict attr, size_t data_len, size_t *restrict eventsize);
int posix_trace_attr_getname(const trace_attr_t *attr, char *tracename);
int posix_trace_attr_getstreamfullpolicy(const trace_attr_t *restrict attr, int *restrict streampolicy);
int posix_trace_attr_getstreamsize(const trace_attr_t *restrict attr, size_t *restrict streamsize);
int posix_trace_attr_init(trace_attr_t *attr);
int posix_trace_attr_setinherited(trace_attr_t *attr, int inheritancepolicy);
int posix_trace_attr_setlogfullpolicy(trace_attr_t *attr, int logpolicy);
int posix_trace_attr_setlogsize(trace_attr_t *attr, size_t logsize);
int posix_trace_attr_setmaxdatasize(trace_attr_t *attr, size_t maxdatasize);
int posix_trace_attr_setname(trace_attr_t *attr, const char *tracename);
int posix_trace_attr_setstreamfullpolicy(trace_attr_t *attr, int streampolicy);
int posix_trace_attr_setstreamsize(trace_attr_t *attr, size_t streamsize);
int posix_trace_clear(trace_id_t trid);
int posix_trace_close(trace_id_t trid);
int posix_trace_create(pid_t pid, const trace_attr_t *restrict attr, trace_id_t *restrict trid);
int posix_trace_create_withlog(pid_t pid, const trace_attr_t *restrict attr, int file_desc, trace_id_t *restrict trid);
void posix_trace_event(trace_event_id_t event_id, const void *restrict data_ptr, size_t data_len);
int posix_trace_eventid_equal(trace_id_t trid, trace_event_id_t event1, trace_event_id_t event2);
int posix_trace_eventid_get_name(trace_id_t trid, trace_event_id_t event, char *event_name);
int posix_trace_eventid_open(const char *restrict event_name, trace_event_id_t *restrict event_id);
int posix_trace_eventset_add(trace_event_id_t event_id, trace_event_set_t *set);
int posix_trace_eventset_del(trace_event_id_t event_id, trace_event_set_t *set);
int posix_trace_eventset_empty(trace_event_set_t *set);
int posix_trace_eventset_fill(trace_event_set_t *set, int what);
int posix_trace_eventset_ismember(trace_event_id_t event_id, const trace_event_set_t *restrict set, int *restrict ismember);
int posix_trace_eventtypelist_getnext_id(trace_id_t trid, trace_event_id_t *restrict event, int *restrict unavailable);
int posix_trace_eventtypelist_rewind(trace_id_t trid);
int posix_trace_flush(trace_id_t trid);
int posix_trace_get_attr(trace_id_t trid, trace_attr_t *attr);
int posix_trace_get_filter(trace_id_t trid, trace_event_set_t *set);
int posix_trace_get_status(trace_id_t trid, struct posix_trace_status_info *statusinfo);
int posix_trace_getnext_event(trace_id_t trid, struct posix_trace_event_info *restrict event, void *restrict data, size_t num_bytes, size_t *restrict data_len, int *restrict unavailable);
int posix_trace_open(int file_desc, trace_id_t *trid);
int posix_trace_rewind(trace_id_t trid);
int posix_trace_set_filter(trace_id_t trid, const trace_event_set_t *set, int how);
int posix_trace_shutdown(trace_id_t trid);
int posix_trace_start(trace_id_t trid);
int posix_trace_stop(trace_id_t trid);
int posix_trace_timedgetnext_event(trace_id_t trid, struct posix_trace_event_info *restrict event, void *restrict data, size_t num_bytes, size_t *restrict data_len, int *restrict unavailable, const struct timespec *restrict abstime);
int posix_trace_trid_eventid_open(trace_id_t trid, const char *restrict event_name, trace_event_id_t *restrict event);
int posix_trace_trygetnext_event(trace_id_t trid, struct posix_trace_event_info *restrict event, void *restrict data, size_t num_bytes, size_t *restrict data_len, int *restrict unavailable);
"""
for _line in TRACE_PROTOS.strip().splitlines():
    MANUAL[re.search(r"(\w+)\(", _line).group(1)] = ("proto", _line)

# glibc's private spellings -> POSIX names.
TYPE_FIX = [
    (r"\b__gnuc_va_list\b", "va_list"), (r"\b_G_fpos_t\b", "fpos_t"),
    (r"\b__fpos_t\b", "fpos_t"), (r"\b__sighandler_t\b", "void (*)(int)"),
    (r"\bstruct __jmp_buf_tag \*", "jmp_buf "), (r"\b__locale_t\b", "locale_t"),
    (r"\b__mbstate_t\b", "mbstate_t"), (r"\b__sigset_t\b", "sigset_t"),
    (r"\b__FILE\b", "FILE"), (r"\bstruct _IO_FILE\b", "FILE"), (r"\b__ssize_t\b", "ssize_t"),
    (r"\b__socklen_t\b", "socklen_t"), (r"\b__off64_t\b", "off_t"),
    (r"\b__compar_fn_t\b", "int (*)(const void *, const void *)"),
    (r"\b__nl_item\b", "nl_item"), (r"\b__gwchar_t\b", "wchar_t"),
    (r"\b__(rlimit_resource|priority_which|itimer_which|rusage_who)_t\b", "int"),
    (r"\b__nftw_func_t\b", "int (*)(const char *, const struct stat *, int, struct FTW *)"),
    (r"\b__ftw_func_t\b", "int (*)(const char *, const struct stat *, int)"),
    (r"\b__action_fn_t\b", "void (*)(const void *, VISIT, int)"), (r"\b__(\w+_t)\b", r"\1"),
    (r"\b__const\b", "const"), (r"\b__restrict\b", "restrict"),
    (r"\bstruct sockaddr \*restrict\b", "struct sockaddr *restrict"),
    (r"\b_Bool\b", "bool"),
]

# Types and structures the interfaces need, in the header POSIX defines them in. The definitions
# are representative (sizes follow the word size); layer-owned headers emit them as written.
TYPES: dict[str, list[str]] = {
    "sys/types.h": [
        "type size_t = unsigned long", "type ssize_t = long", "type off_t = long long",
        "type pid_t = int", "type uid_t = unsigned int", "type gid_t = unsigned int",
        "type id_t = unsigned int", "type mode_t = unsigned int", "type dev_t = unsigned long",
        "type key_t = long", "type clock_t = long", "type time_t = long long",
        "type clockid_t = int", "type timer_t = void *", "type useconds_t = unsigned long",
        "type fsblkcnt_t = unsigned long", "type fsfilcnt_t = unsigned long",
    ],
    "stddef.h": ["type wchar_t = int"],
    "stdatomic.h": ["type memory_order = int", "type atomic_flag = struct { _Bool __v; }"],
    "dirent.h": ["type DIR = struct __dirstream"],
    "sys/select.h": ["type fd_set = struct { unsigned long fds_bits[1024 / (8 * sizeof(long))]; }"],
    "stdint.h": [
        "type uint16_t = unsigned short", "type uint32_t = unsigned int",
        "type intmax_t = long long", "type uintmax_t = unsigned long long",
    ],
    "stdarg.h": ["type va_list = __builtin_va_list"],
    "stdio.h": ["type FILE = struct __sFILE", "type fpos_t = long long"],
    "stdlib.h": [
        "type div_t = struct { int quot; int rem; }",
        "type ldiv_t = struct { long quot; long rem; }",
        "type lldiv_t = struct { long long quot; long long rem; }",
    ],
    "inttypes.h": ["type imaxdiv_t = struct { intmax_t quot; intmax_t rem; }"],
    "wchar.h": [
        "type wint_t = unsigned int",
        "type mbstate_t = struct { int count; unsigned int value; }",
    ],
    "wctype.h": ["type wctype_t = unsigned long", "type wctrans_t = const int *"],
    "uchar.h": ["type char16_t = unsigned short", "type char32_t = unsigned int"],
    "locale.h": ["type locale_t = struct __locale_t *"],
    "langinfo.h": ["type nl_item = int"],
    "nl_types.h": ["type nl_catd = void *"],
    "iconv.h": ["type iconv_t = void *"],
    "fenv.h": ["type fenv_t = unsigned long", "type fexcept_t = unsigned long"],
    "setjmp.h": ["type jmp_buf = long long[32]", "type sigjmp_buf = long long[33]"],
    "signal.h": [
        "type sigset_t = unsigned long", "type sig_atomic_t = int",
        "type siginfo_t = struct __siginfo", "type stack_t = struct __sigaltstack",
        "struct sigevent { int sigev_notify; int sigev_signo; void *sigev_value; "
        "void (*sigev_notify_function)(void *); void *sigev_notify_attributes; }",
    ],
    "time.h": [
        "struct timespec { time_t tv_sec; long tv_nsec; }",
        "struct itimerspec { struct timespec it_interval; struct timespec it_value; }",
    ],
    "sys/wait.h": ["type idtype_t = int"],
    "termios.h": ["type speed_t = unsigned int", "type tcflag_t = unsigned int",
                  "type cc_t = unsigned char"],
    "regex.h": ["type regex_t = struct __regex", "type regmatch_t = struct __regmatch",
                "type regoff_t = long"],
    "glob.h": ["type glob_t = struct __glob"],
    "wordexp.h": ["type wordexp_t = struct __wordexp"],
    "search.h": ["type VISIT = int", "type ENTRY = struct entry", "type ACTION = int"],
    "spawn.h": ["type posix_spawnattr_t = struct __posix_spawnattr *",
                "type posix_spawn_file_actions_t = struct __posix_spawn_file_actions *"],
    "threads.h": [
        "type thrd_t = unsigned long", "type mtx_t = struct __mtx", "type cnd_t = struct __cnd",
        "type tss_t = unsigned int", "type once_flag = int",
        "type thrd_start_t = int (*)(void *)", "type tss_dtor_t = void (*)(void *)",
    ],
    "pthread.h": [
        "type pthread_t = unsigned long", "type pthread_key_t = unsigned int",
        "type pthread_once_t = int", "type pthread_spinlock_t = int",
        "type pthread_attr_t = struct { unsigned long __w[8]; }",
        "type pthread_mutex_t = struct { unsigned long __w[6]; }",
        "type pthread_mutexattr_t = struct { unsigned int __w[2]; }",
        "type pthread_cond_t = struct { unsigned long __w[6]; }",
        "type pthread_condattr_t = struct { unsigned int __w[2]; }",
        "type pthread_rwlock_t = struct { unsigned long __w[8]; }",
        "type pthread_rwlockattr_t = struct { unsigned int __w[2]; }",
        "type pthread_barrier_t = struct { unsigned long __w[4]; }",
        "type pthread_barrierattr_t = struct { unsigned int __w[2]; }",
    ],
    "semaphore.h": ["type sem_t = struct { unsigned long __w[4]; }"],
    "mqueue.h": [
        "type mqd_t = int",
        "struct mq_attr { long mq_flags; long mq_maxmsg; long mq_msgsize; long mq_curmsgs; }",
    ],
    "sys/socket.h": [
        "type socklen_t = unsigned int", "type sa_family_t = unsigned short",
        "struct sockaddr { sa_family_t sa_family; char sa_data[14]; }",
        "struct sockaddr_storage { sa_family_t ss_family; char __ss_pad[126]; }",
        "struct linger { int l_onoff; int l_linger; }",
        "struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; "
        "int msg_iovlen; void *msg_control; socklen_t msg_controllen; int msg_flags; }",
        "struct cmsghdr { socklen_t cmsg_len; int cmsg_level; int cmsg_type; }",
    ],
    "netinet/in.h": [
        "type in_port_t = unsigned short", "type in_addr_t = unsigned int",
        "struct in6_addr { unsigned char s6_addr[16]; }",
    ],
    "netdb.h": [
        "struct hostent { char *h_name; char **h_aliases; int h_addrtype; int h_length; "
        "char **h_addr_list; }",
        "struct netent { char *n_name; char **n_aliases; int n_addrtype; unsigned int n_net; }",
        "struct protoent { char *p_name; char **p_aliases; int p_proto; }",
        "struct servent { char *s_name; char **s_aliases; int s_port; char *s_proto; }",
        "struct addrinfo { int ai_flags; int ai_family; int ai_socktype; int ai_protocol; "
        "socklen_t ai_addrlen; struct sockaddr *ai_addr; char *ai_canonname; "
        "struct addrinfo *ai_next; }",
    ],
    "net/if.h": ["struct if_nameindex { unsigned int if_index; char *if_name; }"],
    "poll.h": ["type nfds_t = unsigned long",
               "struct pollfd { int fd; short events; short revents; }"],
    "sys/uio.h": ["struct iovec { void *iov_base; size_t iov_len; }"],
    "sys/utsname.h": [
        "struct utsname { char sysname[65]; char nodename[65]; char release[65]; "
        "char version[65]; char machine[65]; }",
    ],
    "sys/statvfs.h": [
        "struct statvfs { unsigned long f_bsize; unsigned long f_frsize; fsblkcnt_t f_blocks; "
        "fsblkcnt_t f_bfree; fsblkcnt_t f_bavail; fsfilcnt_t f_files; fsfilcnt_t f_ffree; "
        "fsfilcnt_t f_favail; unsigned long f_fsid; unsigned long f_flag; "
        "unsigned long f_namemax; }",
    ],
    "sys/ipc.h": [
        "struct ipc_perm { uid_t uid; gid_t gid; uid_t cuid; gid_t cgid; mode_t mode; }",
    ],
    "sys/msg.h": [
        "type msgqnum_t = unsigned long", "type msglen_t = unsigned long",
        "struct msqid_ds { struct ipc_perm msg_perm; msgqnum_t msg_qnum; msglen_t msg_qbytes; "
        "pid_t msg_lspid; pid_t msg_lrpid; time_t msg_stime; time_t msg_rtime; "
        "time_t msg_ctime; }",
    ],
    "sys/sem.h": [
        "struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }",
        "struct semid_ds { struct ipc_perm sem_perm; unsigned short sem_nsems; "
        "time_t sem_otime; time_t sem_ctime; }",
    ],
    "sys/shm.h": [
        "type shmatt_t = unsigned long",
        "struct shmid_ds { struct ipc_perm shm_perm; size_t shm_segsz; pid_t shm_lpid; "
        "pid_t shm_cpid; shmatt_t shm_nattch; time_t shm_atime; time_t shm_dtime; "
        "time_t shm_ctime; }",
    ],
    "sys/mman.h": [
        "struct posix_typed_mem_info { size_t posix_tmi_length; }",
    ],
    "aio.h": [
        "struct aiocb { int aio_fildes; off_t aio_offset; volatile void *aio_buf; "
        "size_t aio_nbytes; int aio_reqprio; struct sigevent aio_sigevent; "
        "int aio_lio_opcode; }",
    ],
    "ftw.h": ["struct FTW { int base; int level; }"],
    "dlfcn.h": [
        "type Dl_info_t = struct { const char *dli_fname; void *dli_fbase; "
        "const char *dli_sname; void *dli_saddr; }",
    ],
    "ndbm.h": ["type datum = struct { void *dptr; size_t dsize; }", "type DBM = struct __dbm"],
    "stropts.h": [
        "type t_scalar_t = int", "type t_uscalar_t = unsigned int",
        "struct strbuf { int maxlen; int len; char *buf; }",
    ],
    "utmpx.h": [
        "struct utmpx { char ut_user[32]; char ut_id[4]; char ut_line[32]; pid_t ut_pid; "
        "short ut_type; long long ut_tv_sec; long long ut_tv_usec; }",
    ],
    "trace.h": [
        "type trace_attr_t = struct { unsigned long __w[8]; }", "type trace_id_t = int",
        "type trace_event_id_t = int",
        "type trace_event_set_t = struct { unsigned long __w[4]; }",
        "struct posix_trace_status_info { int posix_stream_status; "
        "int posix_stream_full_status; int posix_stream_overrun_status; "
        "int posix_stream_flush_status; int posix_stream_flush_error; "
        "int posix_log_overrun_status; int posix_log_full_status; }",
        "struct posix_trace_event_info { trace_event_id_t posix_event_id; pid_t posix_pid; "
        "void *posix_prog_address; int posix_truncation_status; "
        "struct timespec posix_timestamp; pthread_t posix_thread_id; }",
    ],
}


CONST_PATTERNS = {
    "errno.h": r"E[A-Z0-9]+", "fcntl.h": r"O_[A-Z0-9_]+", "sys/stat.h": r"S_IF[A-Z]+",
    "signal.h": r"SIG(?!STKSZ|UNUSED|RTMAX)[A-Z0-9]+", "time.h": r"CLOCK_[A-Z_]+",
}
# Evaluated from their C expressions (F_DUPFD_CLOEXEC is F_LINUX_SPECIFIC_BASE + 6).
EVAL_PATTERNS = {
    "fcntl.h": r"F_(DUPFD|DUPFD_CLOEXEC|GETFD|SETFD|GETFL|SETFL|GETLK|SETLK|SETLKW|GETOWN"
               r"|SETOWN|RDLCK|WRLCK|UNLCK)|FD_CLOEXEC|AT_(FDCWD|SYMLINK_NOFOLLOW|REMOVEDIR"
               r"|SYMLINK_FOLLOW|EACCESS)",
    "unistd.h": r"SEEK_(SET|CUR|END)",
}
EXTRA_CONSTS = {
    "fcntl.h": ["define O_SYNC 04010000"], "signal.h": ["define SIGRTMAX 64"],
    "errno.h": ["define ENOTSUP EOPNOTSUPP"],  # glibc: the same value on Linux
}


# Constants of the headers the layer owns (picolibc lacks them), with Linux's values as glibc
# spells them on Linux (x86_64 and asm-generic agree on all of these).
OWNED_CONSTS = {
    "sys/mman.h": r"PROT_(NONE|READ|WRITE|EXEC)|MAP_(SHARED|PRIVATE|FIXED|ANONYMOUS|ANON)"
                  r"|MS_(ASYNC|SYNC|INVALIDATE)|MCL_(CURRENT|FUTURE)|POSIX_MADV_\w+",
    "sys/socket.h": r"AF_(UNSPEC|INET|INET6|UNIX)|SOCK_(STREAM|DGRAM|RAW|SEQPACKET|NONBLOCK"
                    r"|CLOEXEC)|SOL_SOCKET|SO_(ACCEPTCONN|BROADCAST|DEBUG|DONTROUTE|ERROR"
                    r"|KEEPALIVE|LINGER|OOBINLINE|RCVBUF|RCVLOWAT|RCVTIMEO|REUSEADDR|SNDBUF"
                    r"|SNDLOWAT|SNDTIMEO|TYPE)|MSG_(CTRUNC|DONTROUTE|EOR|OOB|NOSIGNAL|PEEK"
                    r"|TRUNC|WAITALL|DONTWAIT|CMSG_CLOEXEC)|SHUT_(RD|WR|RDWR)|SOMAXCONN"
                    r"|SCM_RIGHTS",
    "poll.h": r"POLL(IN|RDNORM|RDBAND|PRI|OUT|WRNORM|WRBAND|ERR|HUP|NVAL)",
    "netdb.h": r"AI_(PASSIVE|CANONNAME|NUMERICHOST|NUMERICSERV|V4MAPPED|ALL|ADDRCONFIG)"
               r"|NI_(NOFQDN|NUMERICHOST|NAMEREQD|NUMERICSERV|DGRAM|NUMERICSCOPE)"
               r"|EAI_(AGAIN|BADFLAGS|FAIL|FAMILY|MEMORY|NONAME|SERVICE|SOCKTYPE|SYSTEM"
               r"|OVERFLOW)|IPPORT_RESERVED",
    "dlfcn.h": r"RTLD_(LAZY|NOW|GLOBAL|LOCAL)",
    "syslog.h": r"LOG_(EMERG|ALERT|CRIT|ERR|WARNING|NOTICE|INFO|DEBUG|KERN|USER|MAIL|NEWS|UUCP"
                r"|DAEMON|AUTH|CRON|LPR|LOCAL[0-7]|PID|CONS|NDELAY|ODELAY|NOWAIT)",
    "sys/statvfs.h": r"ST_(RDONLY|NOSUID)",
    "sys/ipc.h": r"IPC_(CREAT|EXCL|NOWAIT|RMID|SET|STAT)",
    "sys/sem.h": r"SEM_UNDO|GETNCNT|GETPID|GETVAL|GETALL|GETZCNT|SETVAL|SETALL",
    "sys/shm.h": r"SHM_(RDONLY|RND)",
    "sys/msg.h": r"MSG_NOERROR",
    "aio.h": r"AIO_(ALLDONE|CANCELED|NOTCANCELED)|LIO_(NOP|NOWAIT|READ|WAIT|WRITE)",
    "ftw.h": r"FTW_(F|D|DNR|DP|NS|SL|SLN|PHYS|MOUNT|DEPTH|CHDIR)",
    "net/if.h": r"IF_NAMESIZE",
    "ulimit.h": r"UL_(GETFSIZE|SETFSIZE)",
    "utmpx.h": r"EMPTY|BOOT_TIME|OLD_TIME|NEW_TIME|USER_PROCESS|INIT_PROCESS|LOGIN_PROCESS"
               r"|DEAD_PROCESS",
    "nl_types.h": r"NL_(SETD|CAT_LOCALE)",
    "fmtmsg.h": r"MM_(HARD|SOFT|FIRM|APPL|UTIL|OPSYS|RECOVER|NRECOV|HALT|ERROR|WARNING|INFO"
                r"|NOSEV|PRINT|CONSOLE|OK|NOTOK|NOMSG|NOCON|NULLSEV|NULLMC)",
}
# Values that are not integers: written from the standard, in the layer's own types.
# (<pthread.h> and <semaphore.h> values are the implementation's choice: they live with it, in
# posix/layer/include/, which wraps the generated header with #include_next.)
OWNED_EXPRS = {
    "sys/mman.h": ["define MAP_FAILED ((void *) -1)"],
    "sys/ipc.h": ["define IPC_PRIVATE ((key_t) 0)"],
    "fmtmsg.h": ["define MM_NULLLBL ((char *) 0)", "define MM_NULLTXT ((char *) 0)",
                 "define MM_NULLACT ((char *) 0)", "define MM_NULLTAG ((char *) 0)"],
}
# Function-like macros of owned headers: the replacement list the generated header defines.
MACRO_BODIES = {
    "LOG_MASK": "(1 << (pri))",
}
