/* fcm-cli-hub.c: `fhircast hub`, a FHIRcast reference hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-cli-private.h"

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
fcm_cli_hub (int    argc,
             char **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *users = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *introspect = NULL;
  g_autofree char *audit_syslog = NULL;
  g_autofree char *introspect_client = NULL;
  g_autofree char *introspect_secret_file = NULL;
  g_autofree char *introspect_secret = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *admin_token_file = NULL;
  g_autofree char *admin_token = NULL;
  g_autofree char *syslog_cert = NULL;
  g_autofree char *syslog_key = NULL;
  g_autofree char *syslog_ca = NULL;
  gboolean admin = FALSE;
  gboolean insecure = FALSE;
  gboolean ws_token_optional = FALSE;
  gboolean legacy = FALSE;
  gboolean no_auth = FALSE;
  gboolean no_validate = FALSE;
  int port = 0;
  double ack_timeout = 10.0;
  int lease_default = 3600;
  int heartbeat = 0;
  int max_missed_acks = 1;
  double syncerror_resend = 10.0;
  int syncerror_resends = 1;
  int lease_max = 86400;
  double unconnected_timeout = 60.0;
  int max_subscriptions = 1000;
  double idle_timeout = 60.0;
  int max_queue_mib = 4;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Address to bind (default 127.0.0.1)"), N_("ADDR") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port (default 0: any free port)"), N_("PORT") },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &secret, N_("Require “Authorization: Bearer SECRET” (visible to other users: prefer --secret-file)"), N_("SECRET") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Require the bearer secret in the first line of FILE"), N_("FILE") },
    { "no-auth", 0, 0, G_OPTION_ARG_NONE, &no_auth, N_("Accept requests without a token"), NULL },
    { "tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens, N_("Per-app bearer tokens with FHIRcast scopes and expiry from FILE"), N_("FILE") },
    { "introspect", 0, 0, G_OPTION_ARG_STRING, &introspect, N_("Check bearer tokens with this OAuth 2.0 introspection endpoint (RFC 7662)"), N_("URL") },
    { "introspect-client", 0, 0, G_OPTION_ARG_STRING, &introspect_client, N_("The hub's client id at the introspection endpoint"), N_("ID") },
    { "introspect-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &introspect_secret_file, N_("Read the hub's client secret from the first line of FILE"), N_("FILE") },
    { "audit", 0, 0, G_OPTION_ARG_FILENAME, &audit, N_("Append an audit trail (JSON lines) to FILE"), N_("FILE") },
    { "audit-syslog", 0, 0, G_OPTION_ARG_STRING, &audit_syslog, N_("Send IHE ATNA audit messages to a syslog collector (udp://, tcp:// or tls://HOST:PORT)"), N_("URL") },
    { "audit-syslog-cert", 0, 0, G_OPTION_ARG_FILENAME, &syslog_cert, N_("tls:// syslog: present this client certificate (PEM; with its key unless --audit-syslog-key)"), N_("FILE") },
    { "audit-syslog-key", 0, 0, G_OPTION_ARG_FILENAME, &syslog_key, N_("tls:// syslog: the client certificate's private key (PEM)"), N_("FILE") },
    { "audit-syslog-ca", 0, 0, G_OPTION_ARG_FILENAME, &syslog_ca, N_("tls:// syslog: trust the collector certificates signed by the CAs in FILE (PEM)"), N_("FILE") },
    { "users", 0, 0, G_OPTION_ARG_FILENAME, &users, N_("Serve the 2019 GetTopic call for the users in FILE"), N_("FILE") },
    { "admin", 0, 0, G_OPTION_ARG_NONE, &admin, N_("Serve the inspection and fault-injection endpoints (loopback only)"), NULL },
    { "admin-token-file", 0, 0, G_OPTION_ARG_FILENAME, &admin_token_file, N_("The admin endpoints need the bearer token in the first line of FILE"), N_("FILE") },
    { "ws-token-optional", 0, 0, G_OPTION_ARG_NONE, &ws_token_optional, N_("With tokens, accept WebSocket upgrades that carry none (the endpoint id is the ticket)"), NULL },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &insecure, N_("Allow plain http on an address other than loopback"), NULL },
    { "legacy", 0, 0, G_OPTION_ARG_NONE, &legacy, N_("Also serve the 2019 prototype's WebSocket ws://host/TOPIC"), NULL },
    { "ack-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &ack_timeout, N_("Seconds to wait for an ack (default 10)"), N_("S") },
    { "lease-default", 0, 0, G_OPTION_ARG_INT, &lease_default, N_("Default lease in seconds (default 3600)"), N_("S") },
    { "heartbeat", 0, 0, G_OPTION_ARG_INT, &heartbeat, N_("Send a heartbeat every S seconds (default 0: off)"), N_("S") },
    { "max-missed-acks", 0, 0, G_OPTION_ARG_INT, &max_missed_acks, N_("Missed acks in a row before unsubscribing (default 1)"), N_("N") },
    { "syncerror-resend", 0, 0, G_OPTION_ARG_DOUBLE, &syncerror_resend, N_("Resend an unacknowledged hub syncerror after S seconds (default 10)"), N_("S") },
    { "syncerror-resends", 0, 0, G_OPTION_ARG_INT, &syncerror_resends, N_("Resend it at most N times (default 1, 0: never)"), N_("N") },
    { "lease-max", 0, 0, G_OPTION_ARG_INT, &lease_max, N_("Longest lease granted in seconds (default 86400)"), N_("S") },
    { "unconnected-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &unconnected_timeout, N_("End a subscription without a WebSocket after S seconds (default 60)"), N_("S") },
    { "max-subscriptions", 0, 0, G_OPTION_ARG_INT, &max_subscriptions, N_("Subscriptions per token, or per address without tokens (default 1000)"), N_("N") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &idle_timeout, N_("Close a keep-alive connection idle for S seconds (default 60, 0: never)"), N_("S") },
    { "max-queue", 0, 0, G_OPTION_ARG_INT, &max_queue_mib, N_("Unsubscribe a subscriber once N MiB of notifications wait for it (default 4, 0: no limit)"), N_("N") },
    { "no-validate", 0, 0, G_OPTION_ARG_NONE, &no_validate, N_("Skip IRA profile validation of context changes"), NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("PEM certificate for https/wss"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("PEM private key for https/wss"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FcmHub) hub = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint_id, sigterm_id, deadline_id;
  gboolean deadline_passed = FALSE;

  g_set_prgname ("fhircast hub");
  g_option_context_set_summary (context, _("Run a FHIRcast reference hub."));
  g_option_context_set_description (context,
    _("Examples:\n"
      "  fhircast hub --port 8080            # prints its hub.url first\n"
      "  fhircast hub --port 8443 --tls-cert cert.pem --tls-key key.pem --tokens tokens.ini\n\n"
      "See docs/hub.md for every option, the admin interface and the exit status."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }

  if (argc > 1)
    {
      fprintf (stderr, "hub: %s: %s\n", _("unexpected argument"), argv[1]);
      return FCM_CLI_EXIT_USAGE;
    }
  if (secret != NULL && secret_file != NULL)
    {
      fprintf (stderr, "hub: %s\n", _("--secret and --secret-file exclude each other"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (secret != NULL)
    fcm_cli_warn_command_line_secret ("hub", "--secret", "--secret-file");
  if (secret_file != NULL)
    {
      secret = fcm_cli_read_secret_file (secret_file, &error);
      if (secret == NULL)
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  if (secret != NULL && no_auth)
    {
      fprintf (stderr, "hub: %s\n", _("--secret and --no-auth exclude each other"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (tokens != NULL && (secret != NULL || no_auth))
    {
      fprintf (stderr, "hub: %s\n", _("--tokens excludes --secret and --no-auth"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (port < 0 || port > 65535 || ack_timeout < 0 || lease_default < 1 || heartbeat < 0 || heartbeat > 3600 ||
      max_missed_acks < 1 || !(syncerror_resend > 0 && syncerror_resend <= 3600) ||
      syncerror_resends < 0 || syncerror_resends > 100 || lease_max < 1 || lease_default > lease_max ||
      !(unconnected_timeout > 0 && unconnected_timeout <= 86400) || max_subscriptions < 1 ||
      !(idle_timeout >= 0 && idle_timeout <= 86400) || max_queue_mib < 0 || max_queue_mib > 4096)
    {
      fprintf (stderr, "hub: %s\n", _("an option value is out of range"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (introspect != NULL && (secret != NULL || no_auth || tokens != NULL))
    {
      fprintf (stderr, "hub: %s\n", _("--introspect excludes --secret, --no-auth and --tokens"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (introspect == NULL && (introspect_client != NULL || introspect_secret_file != NULL))
    {
      fprintf (stderr, "hub: %s\n", _("--introspect-client and --introspect-secret-file need --introspect"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (introspect_secret_file != NULL)
    {
      g_autofree char *contents = NULL;

      if (!g_file_get_contents (introspect_secret_file, &contents, NULL, &error))
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
      introspect_secret = g_strndup (contents, strcspn (contents, "\r\n"));
      memset (contents, 0, strlen (contents));
    }
  if ((tls_cert != NULL) != (tls_key != NULL))
    {
      fprintf (stderr, "hub: %s\n", _("--tls-cert and --tls-key go together"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (tls_cert == NULL && !insecure)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host != NULL ? host : "127.0.0.1");

      /* tokens and patient context must not cross a network in the clear */
      if (address != NULL && !g_inet_address_get_is_loopback (address))
        {
          fprintf (stderr, "hub: %s\n", _("a hub on an address other than loopback needs --tls-cert and --tls-key "
                                          "(or --insecure)"));
          return FCM_CLI_EXIT_USAGE;
        }
    }
  if ((syslog_cert != NULL || syslog_key != NULL || syslog_ca != NULL) &&
      (audit_syslog == NULL || !g_str_has_prefix (audit_syslog, "tls://")))
    {
      fprintf (stderr, "hub: %s\n", _("--audit-syslog-cert, --audit-syslog-key and --audit-syslog-ca need a tls:// --audit-syslog"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (syslog_key != NULL && syslog_cert == NULL)
    {
      fprintf (stderr, "hub: %s\n", _("--audit-syslog-key needs --audit-syslog-cert"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (admin_token_file != NULL && !admin)
    {
      fprintf (stderr, "hub: %s\n", _("--admin-token-file needs --admin"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (admin && admin_token_file == NULL && (secret != NULL || introspect != NULL))
    {
      /* every application holds the secret; introspected tokens are FHIRcast ones */
      fprintf (stderr, "hub: %s\n", _("--admin with --secret or --introspect needs --admin-token-file"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (admin_token_file != NULL)
    {
      admin_token = fcm_cli_read_secret_file (admin_token_file, &error);
      if (admin_token == NULL)
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }

  hub = fcm_hub_new ();
  if (users != NULL && !fcm_hub_load_users (hub, users, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  if (introspect != NULL &&
      !fcm_hub_set_introspection (hub, introspect, introspect_client, introspect_secret, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }
  if (introspect_secret != NULL)
    memset (introspect_secret, 0, strlen (introspect_secret));
  if (audit_syslog != NULL && !fcm_hub_set_audit_syslog (hub, audit_syslog, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }
  if (syslog_cert != NULL || syslog_ca != NULL)
    {
      g_autoptr(GTlsCertificate) client_cert = NULL;
      g_autoptr(GTlsDatabase) trust = NULL;

      /* IHE ATNA node authentication: mutual TLS */
      if (syslog_cert != NULL)
        client_cert = syslog_key != NULL ? g_tls_certificate_new_from_files (syslog_cert, syslog_key, &error)
                                         : g_tls_certificate_new_from_file (syslog_cert, &error);
      if (error == NULL && syslog_ca != NULL)
        trust = g_tls_file_database_new (syslog_ca, &error);
      if (error != NULL || !fcm_hub_set_audit_syslog_tls (hub, client_cert, trust, &error))
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  if (tokens != NULL && !fcm_hub_load_tokens (hub, tokens, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  if (audit != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (audit);
      g_autoptr(GFileOutputStream) stream = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, &error);

      if (stream == NULL)
        {
          fprintf (stderr, "hub: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
      fcm_hub_set_audit_stream (hub, G_OUTPUT_STREAM (stream));
    }
  if (admin)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host != NULL ? host : "127.0.0.1");

      if (address != NULL && !g_inet_address_get_is_loopback (address))
        {
          fprintf (stderr, "hub: %s\n", _("--admin needs a loopback --host"));
          return FCM_CLI_EXIT_USAGE;
        }
      fcm_hub_set_admin (hub, TRUE);
      fcm_hub_set_admin_token (hub, admin_token);
      if (admin_token != NULL)
        memset (admin_token, 0, strlen (admin_token));
    }
  fcm_hub_set_ws_token_optional (hub, ws_token_optional);
  fcm_hub_set_lease_max (hub, (guint) lease_max);
  fcm_hub_set_unconnected_timeout (hub, unconnected_timeout);
  fcm_hub_set_max_subscriptions (hub, (guint) max_subscriptions);
  fcm_hub_set_idle_timeout (hub, idle_timeout);
  fcm_hub_set_max_queued_bytes (hub, (gsize) max_queue_mib * 1024 * 1024);
  fcm_hub_set_legacy (hub, legacy);
  fcm_hub_set_secret (hub, secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  fcm_hub_set_ack_timeout (hub, ack_timeout);
  fcm_hub_set_lease_default (hub, (guint)lease_default);
  fcm_hub_set_heartbeat (hub, (guint)heartbeat);
  fcm_hub_set_validate (hub, !no_validate);
  fcm_hub_set_max_missed_acks (hub, (guint)max_missed_acks);
  fcm_hub_set_syncerror_resend (hub, syncerror_resend, (guint)syncerror_resends);

  if (!fcm_hub_listen (hub, host, (guint)port, certificate, &error))
    {
      fprintf (stderr, "hub: %s\n", error->message);
      return FCM_CLI_EXIT_INVALID;
    }

  /* handlers first: a caller may signal as soon as it reads the URL */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  printf ("%s\n", fcm_hub_get_url (hub));
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* close every socket with 1001 and let the close handshakes finish, for
   * at most a second (a subscriber that stopped reading never answers) */
  fcm_hub_shutdown (hub);
  deadline_id = g_timeout_add (1000, deadline_cb, &deadline_passed);
  while (fcm_hub_get_n_closing (hub) > 0 && !deadline_passed)
    g_main_context_iteration (NULL, TRUE);
  if (!deadline_passed)
    g_source_remove (deadline_id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* and the last audit records */
  while (fcm_hub_get_audit_pending (hub) > 0)
    g_main_context_iteration (NULL, TRUE);

  return FCM_CLI_EXIT_OK;
}
