// chain reads only local repositories through libgit2; `chain serve`, the one command that
// fetches, runs the git command for it (server/checkout.cpp). So libgit2's network is left
// out at the link, and what it would cost every command with it:
//
// - Its TLS stream (mbedTLS): Debian's libgit2 1.5 parses the whole system CA bundle
//   inside git_libgit2_init, about 7 ms, most of a typical `chain plan`, and seeds
//   mbedTLS's random generator by timing loops.
// - Its ssh transport (libssh2, and OpenSSL with it): OpenSSL's tables alone were 370 KB
//   of pointers that the loader relocated, and so copied, at every start, a tenth of a
//   no-op `chain run` of 1,000 stages.
// - GSSAPI, used only for HTTP "Negotiate" authentication: its library and six Kerberos
//   dependencies took another 2 ms to load.
//
// The functions libgit2 would take from them are defined here, each failing as libgit2
// does when a transport is not built in. Defining them keeps the archive members that
// would pull the libraries in out of the link.

#include <git2.h>
#include <git2/sys/stream.h>
#include <git2/sys/transport.h>
#include <gssapi/gssapi.h>

namespace {

int not_built_in(const char* what) {
    git_error_set_str(GIT_ERROR_NET, what);
    return -1;
}

} // namespace

extern "C" {

int git_mbedtls_stream_global_init() { return 0; }
int git_mbedtls__set_cert_location(const char*, const char*) { return 0; }
int git_mbedtls_stream_new(git_stream**, const char*, const char*) {
    return not_built_in("chain's libgit2 has no TLS: it reads only local repositories");
}
int git_mbedtls_stream_wrap(git_stream**, git_stream*, const char*) {
    return not_built_in("chain's libgit2 has no TLS: it reads only local repositories");
}

int git_transport_ssh_global_init() { return 0; }
int git_smart_subtransport_ssh(git_smart_subtransport**, git_transport*, void*) {
    return not_built_in("chain's libgit2 has no ssh: it reads only local repositories");
}
int git_transport_ssh_with_paths(git_transport**, git_remote*, void*) {
    return not_built_in("chain's libgit2 has no ssh: it reads only local repositories");
}

gss_OID GSS_C_NT_HOSTBASED_SERVICE = GSS_C_NO_OID;

OM_uint32 gss_indicate_mechs(OM_uint32* minor, gss_OID_set* mechanisms) {
    *minor = 0;
    *mechanisms = GSS_C_NO_OID_SET;
    return GSS_S_FAILURE;
}

OM_uint32 gss_import_name(OM_uint32* minor, gss_buffer_t, gss_OID, gss_name_t* name) {
    *minor = 0;
    *name = GSS_C_NO_NAME;
    return GSS_S_FAILURE;
}

OM_uint32 gss_init_sec_context(OM_uint32* minor, gss_cred_id_t, gss_ctx_id_t*, gss_name_t, gss_OID, OM_uint32,
                               OM_uint32, gss_channel_bindings_t, gss_buffer_t, gss_OID*, gss_buffer_t output,
                               OM_uint32*, OM_uint32*) {
    *minor = 0;
    if (output != GSS_C_NO_BUFFER) {
        output->length = 0;
        output->value = nullptr;
    }
    return GSS_S_FAILURE;
}

OM_uint32 gss_display_status(OM_uint32* minor, OM_uint32, int, gss_OID, OM_uint32* context, gss_buffer_t text) {
    static char message[] = "GSSAPI is not available in chain, which reads only local repositories";
    *minor = 0;
    *context = 0;
    text->length = sizeof message - 1;
    text->value = message;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_delete_sec_context(OM_uint32* minor, gss_ctx_id_t*, gss_buffer_t) {
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_release_name(OM_uint32* minor, gss_name_t*) {
    *minor = 0;
    return GSS_S_COMPLETE;
}

// gss_display_status hands out a static message, so there is never a buffer of ours to free.
OM_uint32 gss_release_buffer(OM_uint32* minor, gss_buffer_t) {
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_release_oid_set(OM_uint32* minor, gss_OID_set*) {
    *minor = 0;
    return GSS_S_COMPLETE;
}
}
