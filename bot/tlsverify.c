/* tlsverify: certificate chain and host name checks with GnuTLS. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tlsverify.h"
#include "util.h"

int
tls_verify_chain(const struct der_cert *chain, size_t n, const char *host,
    const char *ca_file, char **errstr)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t *crts;
	gnutls_typed_vdata_st vdata[2];
	gnutls_datum_t out;
	unsigned int status = 0;
	size_t i, ncrt = 0;
	int rc = -1, r;

	if (n == 0) {
		*errstr = xstrdup("the server sent no certificate");
		return -1;
	}
	crts = xcalloc(n, sizeof(*crts));
	for (i = 0; i < n; i++) {
		gnutls_datum_t d = { (unsigned char *)chain[i].data,
		    (unsigned int)chain[i].len };
		if (gnutls_x509_crt_init(&crts[i]) != 0) {
			*errstr = xstrdup("gnutls_x509_crt_init failed");
			goto out;
		}
		ncrt++;
		if (gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER)) {
			*errstr = xasprintf("certificate %zu in the server's "
			    "chain cannot be read", i);
			goto out;
		}
	}
	if (gnutls_x509_trust_list_init(&tl, 0) != 0) {
		*errstr = xstrdup("gnutls_x509_trust_list_init failed");
		goto out;
	}
	if (ca_file != NULL)
		r = gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r <= 0) {
		*errstr = xasprintf("no trusted certificates loaded from %s%s%s",
		    ca_file ? ca_file : "the system trust store",
		    r < 0 ? ": " : "", r < 0 ? gnutls_strerror(r) : "");
		goto out;
	}
	/*
	 * Besides the host name, the leaf must be meant for a TLS server: a
	 * certificate the same CA issued for client authentication only must
	 * not let its holder pose as our mail server.
	 */
	memset(vdata, 0, sizeof(vdata));
	vdata[0].type = GNUTLS_DT_DNS_HOSTNAME;
	vdata[0].data = (unsigned char *)host;
	vdata[0].size = 0;
	vdata[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	vdata[1].size = 0;
	r = gnutls_x509_trust_list_verify_crt2(tl, crts, (unsigned int)n,
	    vdata, 2, 0, &status, NULL);
	if (r < 0) {
		*errstr = xasprintf("certificate check failed: %s",
		    gnutls_strerror(r));
		goto out;
	}
	if (status != 0) {
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &out, 0) == 0) {
			*errstr = xasprintf("certificate for %s not trusted: %s",
			    host, (const char *)out.data);
			gnutls_free(out.data);
		} else
			*errstr = xasprintf("certificate for %s not trusted",
			    host);
		goto out;
	}
	rc = 0;
out:
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (i = 0; i < ncrt; i++)
		gnutls_x509_crt_deinit(crts[i]);
	free(crts);
	return rc;
}
