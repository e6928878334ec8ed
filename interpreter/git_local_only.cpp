// chain's commands read only local repositories, so libgit2 never opens a network
// connection for them; only `chain serve` fetches. Three consequences are dropped or
// deferred at the link:
//
// Debian's libgit2 1.5 parses the whole system CA bundle with mbedTLS inside
// git_libgit2_init, about 7 ms, which is most of a typical `chain plan`. The
// link replaces libgit2's call to the certificate loader
// (-Wl,--wrap=mbedtls_x509_crt_parse_file) with a function that loads nothing
// and reports success.
//
// git_libgit2_init also seeds mbedTLS's random generator (HAVEGE, timing loops) and
// starts libssh2 (and OpenSSL with it): about a tenth of a no-op `chain run` of
// 1,000 stages. The link wraps both start-ups so that they run only when
// chain_start_git_network asks for them, before a fetch.
//
// libgit2's HTTP "Negotiate" authentication is the only user of GSSAPI, whose
// library and its six Kerberos dependencies took another 2 ms to load at every
// start. The functions it calls are defined here instead, each failing as
// GSSAPI does when no mechanism is available.

#include <gssapi/gssapi.h>

#include <atomic>
#include <mutex>

namespace {

std::atomic<bool> network_wanted{false};

} // namespace

extern "C" {

int __wrap_mbedtls_x509_crt_parse_file(void*, const char*) { return 0; }

int __real_git_mbedtls_stream_global_init();
int __real_git_transport_ssh_global_init();

int __wrap_git_mbedtls_stream_global_init() { return network_wanted ? __real_git_mbedtls_stream_global_init() : 0; }
int __wrap_git_transport_ssh_global_init() { return network_wanted ? __real_git_transport_ssh_global_init() : 0; }

// Called after git_libgit2_init: the start-ups it left out run once now, in this order as libgit2 would.
int chain_start_git_network() {
    static std::once_flag once;
    static int result = 0;
    std::call_once(once, [] {
        network_wanted = true;
        result = __real_git_mbedtls_stream_global_init();
        if (result == 0) {
            result = __real_git_transport_ssh_global_init();
        }
    });
    return result;
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
