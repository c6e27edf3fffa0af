/*
 * errno translation: the kernel answers Linux's values (docs/abi.md rule 2), picolibc and the
 * apps built against its <errno.h> use newlib's. One case per Linux name that both define; the
 * Linux values come from the generated <bkport/linux_abi.h> (bkport posix gen), so this file
 * never spells a number. Aliases (EWOULDBLOCK, EDEADLOCK) share their twin's case.
 */
#include "internal.h"

int __bk_errno_from_linux(int e)
{
    switch (e) {
    /* Linux has one value for EOPNOTSUPP and ENOTSUP; the kernel uses it for feature-gated
     * calls ("not supported"), so it becomes ENOTSUP. */
    case BK_EOPNOTSUPP: return ENOTSUP;
#if defined(E2BIG) && defined(BK_E2BIG)
    case BK_E2BIG: return E2BIG;
#endif
#if defined(EACCES) && defined(BK_EACCES)
    case BK_EACCES: return EACCES;
#endif
#if defined(EADDRINUSE) && defined(BK_EADDRINUSE)
    case BK_EADDRINUSE: return EADDRINUSE;
#endif
#if defined(EADDRNOTAVAIL) && defined(BK_EADDRNOTAVAIL)
    case BK_EADDRNOTAVAIL: return EADDRNOTAVAIL;
#endif
#if defined(EADV) && defined(BK_EADV)
    case BK_EADV: return EADV;
#endif
#if defined(EAFNOSUPPORT) && defined(BK_EAFNOSUPPORT)
    case BK_EAFNOSUPPORT: return EAFNOSUPPORT;
#endif
#if defined(EAGAIN) && defined(BK_EAGAIN)
    case BK_EAGAIN: return EAGAIN;
#endif
#if defined(EALREADY) && defined(BK_EALREADY)
    case BK_EALREADY: return EALREADY;
#endif
#if defined(EBADE) && defined(BK_EBADE)
    case BK_EBADE: return EBADE;
#endif
#if defined(EBADF) && defined(BK_EBADF)
    case BK_EBADF: return EBADF;
#endif
#if defined(EBADFD) && defined(BK_EBADFD)
    case BK_EBADFD: return EBADFD;
#endif
#if defined(EBADMSG) && defined(BK_EBADMSG)
    case BK_EBADMSG: return EBADMSG;
#endif
#if defined(EBADR) && defined(BK_EBADR)
    case BK_EBADR: return EBADR;
#endif
#if defined(EBADRQC) && defined(BK_EBADRQC)
    case BK_EBADRQC: return EBADRQC;
#endif
#if defined(EBADSLT) && defined(BK_EBADSLT)
    case BK_EBADSLT: return EBADSLT;
#endif
#if defined(EBFONT) && defined(BK_EBFONT)
    case BK_EBFONT: return EBFONT;
#endif
#if defined(EBUSY) && defined(BK_EBUSY)
    case BK_EBUSY: return EBUSY;
#endif
#if defined(ECANCELED) && defined(BK_ECANCELED)
    case BK_ECANCELED: return ECANCELED;
#endif
#if defined(ECHILD) && defined(BK_ECHILD)
    case BK_ECHILD: return ECHILD;
#endif
#if defined(ECHRNG) && defined(BK_ECHRNG)
    case BK_ECHRNG: return ECHRNG;
#endif
#if defined(ECOMM) && defined(BK_ECOMM)
    case BK_ECOMM: return ECOMM;
#endif
#if defined(ECONNABORTED) && defined(BK_ECONNABORTED)
    case BK_ECONNABORTED: return ECONNABORTED;
#endif
#if defined(ECONNREFUSED) && defined(BK_ECONNREFUSED)
    case BK_ECONNREFUSED: return ECONNREFUSED;
#endif
#if defined(ECONNRESET) && defined(BK_ECONNRESET)
    case BK_ECONNRESET: return ECONNRESET;
#endif
#if defined(EDEADLK) && defined(BK_EDEADLK)
    case BK_EDEADLK: return EDEADLK;
#endif
#if defined(EDESTADDRREQ) && defined(BK_EDESTADDRREQ)
    case BK_EDESTADDRREQ: return EDESTADDRREQ;
#endif
#if defined(EDOM) && defined(BK_EDOM)
    case BK_EDOM: return EDOM;
#endif
#if defined(EDOTDOT) && defined(BK_EDOTDOT)
    case BK_EDOTDOT: return EDOTDOT;
#endif
#if defined(EDQUOT) && defined(BK_EDQUOT)
    case BK_EDQUOT: return EDQUOT;
#endif
#if defined(EEXIST) && defined(BK_EEXIST)
    case BK_EEXIST: return EEXIST;
#endif
#if defined(EFAULT) && defined(BK_EFAULT)
    case BK_EFAULT: return EFAULT;
#endif
#if defined(EFBIG) && defined(BK_EFBIG)
    case BK_EFBIG: return EFBIG;
#endif
#if defined(EHOSTDOWN) && defined(BK_EHOSTDOWN)
    case BK_EHOSTDOWN: return EHOSTDOWN;
#endif
#if defined(EHOSTUNREACH) && defined(BK_EHOSTUNREACH)
    case BK_EHOSTUNREACH: return EHOSTUNREACH;
#endif
#if defined(EHWPOISON) && defined(BK_EHWPOISON)
    case BK_EHWPOISON: return EHWPOISON;
#endif
#if defined(EIDRM) && defined(BK_EIDRM)
    case BK_EIDRM: return EIDRM;
#endif
#if defined(EILSEQ) && defined(BK_EILSEQ)
    case BK_EILSEQ: return EILSEQ;
#endif
#if defined(EINPROGRESS) && defined(BK_EINPROGRESS)
    case BK_EINPROGRESS: return EINPROGRESS;
#endif
#if defined(EINTR) && defined(BK_EINTR)
    case BK_EINTR: return EINTR;
#endif
#if defined(EINVAL) && defined(BK_EINVAL)
    case BK_EINVAL: return EINVAL;
#endif
#if defined(EIO) && defined(BK_EIO)
    case BK_EIO: return EIO;
#endif
#if defined(EISCONN) && defined(BK_EISCONN)
    case BK_EISCONN: return EISCONN;
#endif
#if defined(EISDIR) && defined(BK_EISDIR)
    case BK_EISDIR: return EISDIR;
#endif
#if defined(EISNAM) && defined(BK_EISNAM)
    case BK_EISNAM: return EISNAM;
#endif
#if defined(EKEYEXPIRED) && defined(BK_EKEYEXPIRED)
    case BK_EKEYEXPIRED: return EKEYEXPIRED;
#endif
#if defined(EKEYREJECTED) && defined(BK_EKEYREJECTED)
    case BK_EKEYREJECTED: return EKEYREJECTED;
#endif
#if defined(EKEYREVOKED) && defined(BK_EKEYREVOKED)
    case BK_EKEYREVOKED: return EKEYREVOKED;
#endif
#if defined(EL2HLT) && defined(BK_EL2HLT)
    case BK_EL2HLT: return EL2HLT;
#endif
#if defined(EL2NSYNC) && defined(BK_EL2NSYNC)
    case BK_EL2NSYNC: return EL2NSYNC;
#endif
#if defined(EL3HLT) && defined(BK_EL3HLT)
    case BK_EL3HLT: return EL3HLT;
#endif
#if defined(EL3RST) && defined(BK_EL3RST)
    case BK_EL3RST: return EL3RST;
#endif
#if defined(ELIBACC) && defined(BK_ELIBACC)
    case BK_ELIBACC: return ELIBACC;
#endif
#if defined(ELIBBAD) && defined(BK_ELIBBAD)
    case BK_ELIBBAD: return ELIBBAD;
#endif
#if defined(ELIBEXEC) && defined(BK_ELIBEXEC)
    case BK_ELIBEXEC: return ELIBEXEC;
#endif
#if defined(ELIBMAX) && defined(BK_ELIBMAX)
    case BK_ELIBMAX: return ELIBMAX;
#endif
#if defined(ELIBSCN) && defined(BK_ELIBSCN)
    case BK_ELIBSCN: return ELIBSCN;
#endif
#if defined(ELNRNG) && defined(BK_ELNRNG)
    case BK_ELNRNG: return ELNRNG;
#endif
#if defined(ELOOP) && defined(BK_ELOOP)
    case BK_ELOOP: return ELOOP;
#endif
#if defined(EMEDIUMTYPE) && defined(BK_EMEDIUMTYPE)
    case BK_EMEDIUMTYPE: return EMEDIUMTYPE;
#endif
#if defined(EMFILE) && defined(BK_EMFILE)
    case BK_EMFILE: return EMFILE;
#endif
#if defined(EMLINK) && defined(BK_EMLINK)
    case BK_EMLINK: return EMLINK;
#endif
#if defined(EMSGSIZE) && defined(BK_EMSGSIZE)
    case BK_EMSGSIZE: return EMSGSIZE;
#endif
#if defined(EMULTIHOP) && defined(BK_EMULTIHOP)
    case BK_EMULTIHOP: return EMULTIHOP;
#endif
#if defined(ENAMETOOLONG) && defined(BK_ENAMETOOLONG)
    case BK_ENAMETOOLONG: return ENAMETOOLONG;
#endif
#if defined(ENAVAIL) && defined(BK_ENAVAIL)
    case BK_ENAVAIL: return ENAVAIL;
#endif
#if defined(ENETDOWN) && defined(BK_ENETDOWN)
    case BK_ENETDOWN: return ENETDOWN;
#endif
#if defined(ENETRESET) && defined(BK_ENETRESET)
    case BK_ENETRESET: return ENETRESET;
#endif
#if defined(ENETUNREACH) && defined(BK_ENETUNREACH)
    case BK_ENETUNREACH: return ENETUNREACH;
#endif
#if defined(ENFILE) && defined(BK_ENFILE)
    case BK_ENFILE: return ENFILE;
#endif
#if defined(ENOANO) && defined(BK_ENOANO)
    case BK_ENOANO: return ENOANO;
#endif
#if defined(ENOBUFS) && defined(BK_ENOBUFS)
    case BK_ENOBUFS: return ENOBUFS;
#endif
#if defined(ENOCSI) && defined(BK_ENOCSI)
    case BK_ENOCSI: return ENOCSI;
#endif
#if defined(ENODATA) && defined(BK_ENODATA)
    case BK_ENODATA: return ENODATA;
#endif
#if defined(ENODEV) && defined(BK_ENODEV)
    case BK_ENODEV: return ENODEV;
#endif
#if defined(ENOENT) && defined(BK_ENOENT)
    case BK_ENOENT: return ENOENT;
#endif
#if defined(ENOEXEC) && defined(BK_ENOEXEC)
    case BK_ENOEXEC: return ENOEXEC;
#endif
#if defined(ENOKEY) && defined(BK_ENOKEY)
    case BK_ENOKEY: return ENOKEY;
#endif
#if defined(ENOLCK) && defined(BK_ENOLCK)
    case BK_ENOLCK: return ENOLCK;
#endif
#if defined(ENOLINK) && defined(BK_ENOLINK)
    case BK_ENOLINK: return ENOLINK;
#endif
#if defined(ENOMEDIUM) && defined(BK_ENOMEDIUM)
    case BK_ENOMEDIUM: return ENOMEDIUM;
#endif
#if defined(ENOMEM) && defined(BK_ENOMEM)
    case BK_ENOMEM: return ENOMEM;
#endif
#if defined(ENOMSG) && defined(BK_ENOMSG)
    case BK_ENOMSG: return ENOMSG;
#endif
#if defined(ENONET) && defined(BK_ENONET)
    case BK_ENONET: return ENONET;
#endif
#if defined(ENOPKG) && defined(BK_ENOPKG)
    case BK_ENOPKG: return ENOPKG;
#endif
#if defined(ENOPROTOOPT) && defined(BK_ENOPROTOOPT)
    case BK_ENOPROTOOPT: return ENOPROTOOPT;
#endif
#if defined(ENOSPC) && defined(BK_ENOSPC)
    case BK_ENOSPC: return ENOSPC;
#endif
#if defined(ENOSR) && defined(BK_ENOSR)
    case BK_ENOSR: return ENOSR;
#endif
#if defined(ENOSTR) && defined(BK_ENOSTR)
    case BK_ENOSTR: return ENOSTR;
#endif
#if defined(ENOSYS) && defined(BK_ENOSYS)
    case BK_ENOSYS: return ENOSYS;
#endif
#if defined(ENOTBLK) && defined(BK_ENOTBLK)
    case BK_ENOTBLK: return ENOTBLK;
#endif
#if defined(ENOTCONN) && defined(BK_ENOTCONN)
    case BK_ENOTCONN: return ENOTCONN;
#endif
#if defined(ENOTDIR) && defined(BK_ENOTDIR)
    case BK_ENOTDIR: return ENOTDIR;
#endif
#if defined(ENOTEMPTY) && defined(BK_ENOTEMPTY)
    case BK_ENOTEMPTY: return ENOTEMPTY;
#endif
#if defined(ENOTNAM) && defined(BK_ENOTNAM)
    case BK_ENOTNAM: return ENOTNAM;
#endif
#if defined(ENOTRECOVERABLE) && defined(BK_ENOTRECOVERABLE)
    case BK_ENOTRECOVERABLE: return ENOTRECOVERABLE;
#endif
#if defined(ENOTSOCK) && defined(BK_ENOTSOCK)
    case BK_ENOTSOCK: return ENOTSOCK;
#endif
#if defined(ENOTTY) && defined(BK_ENOTTY)
    case BK_ENOTTY: return ENOTTY;
#endif
#if defined(ENOTUNIQ) && defined(BK_ENOTUNIQ)
    case BK_ENOTUNIQ: return ENOTUNIQ;
#endif
#if defined(ENXIO) && defined(BK_ENXIO)
    case BK_ENXIO: return ENXIO;
#endif
#if defined(EOVERFLOW) && defined(BK_EOVERFLOW)
    case BK_EOVERFLOW: return EOVERFLOW;
#endif
#if defined(EOWNERDEAD) && defined(BK_EOWNERDEAD)
    case BK_EOWNERDEAD: return EOWNERDEAD;
#endif
#if defined(EPERM) && defined(BK_EPERM)
    case BK_EPERM: return EPERM;
#endif
#if defined(EPFNOSUPPORT) && defined(BK_EPFNOSUPPORT)
    case BK_EPFNOSUPPORT: return EPFNOSUPPORT;
#endif
#if defined(EPIPE) && defined(BK_EPIPE)
    case BK_EPIPE: return EPIPE;
#endif
#if defined(EPROTO) && defined(BK_EPROTO)
    case BK_EPROTO: return EPROTO;
#endif
#if defined(EPROTONOSUPPORT) && defined(BK_EPROTONOSUPPORT)
    case BK_EPROTONOSUPPORT: return EPROTONOSUPPORT;
#endif
#if defined(EPROTOTYPE) && defined(BK_EPROTOTYPE)
    case BK_EPROTOTYPE: return EPROTOTYPE;
#endif
#if defined(ERANGE) && defined(BK_ERANGE)
    case BK_ERANGE: return ERANGE;
#endif
#if defined(EREMCHG) && defined(BK_EREMCHG)
    case BK_EREMCHG: return EREMCHG;
#endif
#if defined(EREMOTE) && defined(BK_EREMOTE)
    case BK_EREMOTE: return EREMOTE;
#endif
#if defined(EREMOTEIO) && defined(BK_EREMOTEIO)
    case BK_EREMOTEIO: return EREMOTEIO;
#endif
#if defined(ERESTART) && defined(BK_ERESTART)
    case BK_ERESTART: return ERESTART;
#endif
#if defined(ERFKILL) && defined(BK_ERFKILL)
    case BK_ERFKILL: return ERFKILL;
#endif
#if defined(EROFS) && defined(BK_EROFS)
    case BK_EROFS: return EROFS;
#endif
#if defined(ESHUTDOWN) && defined(BK_ESHUTDOWN)
    case BK_ESHUTDOWN: return ESHUTDOWN;
#endif
#if defined(ESOCKTNOSUPPORT) && defined(BK_ESOCKTNOSUPPORT)
    case BK_ESOCKTNOSUPPORT: return ESOCKTNOSUPPORT;
#endif
#if defined(ESPIPE) && defined(BK_ESPIPE)
    case BK_ESPIPE: return ESPIPE;
#endif
#if defined(ESRCH) && defined(BK_ESRCH)
    case BK_ESRCH: return ESRCH;
#endif
#if defined(ESRMNT) && defined(BK_ESRMNT)
    case BK_ESRMNT: return ESRMNT;
#endif
#if defined(ESTALE) && defined(BK_ESTALE)
    case BK_ESTALE: return ESTALE;
#endif
#if defined(ESTRPIPE) && defined(BK_ESTRPIPE)
    case BK_ESTRPIPE: return ESTRPIPE;
#endif
#if defined(ETIME) && defined(BK_ETIME)
    case BK_ETIME: return ETIME;
#endif
#if defined(ETIMEDOUT) && defined(BK_ETIMEDOUT)
    case BK_ETIMEDOUT: return ETIMEDOUT;
#endif
#if defined(ETOOMANYREFS) && defined(BK_ETOOMANYREFS)
    case BK_ETOOMANYREFS: return ETOOMANYREFS;
#endif
#if defined(ETXTBSY) && defined(BK_ETXTBSY)
    case BK_ETXTBSY: return ETXTBSY;
#endif
#if defined(EUCLEAN) && defined(BK_EUCLEAN)
    case BK_EUCLEAN: return EUCLEAN;
#endif
#if defined(EUNATCH) && defined(BK_EUNATCH)
    case BK_EUNATCH: return EUNATCH;
#endif
#if defined(EUSERS) && defined(BK_EUSERS)
    case BK_EUSERS: return EUSERS;
#endif
#if defined(EXDEV) && defined(BK_EXDEV)
    case BK_EXDEV: return EXDEV;
#endif
#if defined(EXFULL) && defined(BK_EXFULL)
    case BK_EXFULL: return EXFULL;
#endif
    default:
        /* A value picolibc has no name for: keep it visible rather than inventing one. */
        return e;
    }
}
