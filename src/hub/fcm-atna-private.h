/* fcm-atna-private.h: IHE ATNA audit messages (DICOM PS3.15 A.5) over syslog
 *
 * The hub's ATNA output (H-40, `fhircast hub --audit-syslog URL`): RAD-146,
 * RAD-152 and RAD-153 are "Query Information" trigger events (IRA §x.5.1),
 * written as DICOM audit XML and sent as RFC 5424 syslog messages over UDP
 * (RFC 5426), TCP (RFC 6587 octet counting) or TLS (RFC 5425).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *transaction;        /* "RAD-146" */
  const char *transaction_name;   /* "Subscribe to Reporting Session" */
  guint       status;             /* the HTTP answer */
  const char *requester;          /* the token's name, subscriber.name or address */
  const char *requester_address;  /* (nullable) IP address */
  const char *hub_url;
  const char *topic;              /* (nullable) */
  const char *query;              /* (nullable) what was asked, without secrets */
} FcmAtnaEvent;

char           *fcm_atna_format          (const FcmAtnaEvent  *event,
                                          GDateTime           *time);

typedef struct _FcmAtnaSender FcmAtnaSender;

FcmAtnaSender  *fcm_atna_sender_new      (const char          *url,
                                          GError             **error);
gboolean        fcm_atna_sender_set_tls  (FcmAtnaSender       *sender,
                                          GTlsCertificate     *client_certificate,
                                          GTlsDatabase        *trust,
                                          GError             **error);
void            fcm_atna_sender_send     (FcmAtnaSender       *sender,
                                          const char          *xml,
                                          GDateTime           *time);
guint           fcm_atna_sender_get_pending (FcmAtnaSender    *sender);
void            fcm_atna_sender_free     (FcmAtnaSender       *sender);

G_END_DECLS
