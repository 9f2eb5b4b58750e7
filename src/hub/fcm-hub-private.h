/* fcm-hub-private.h: the reference hub's state, shared by its files
 *
 * The FcmHub instance struct, the subscription (Subscriber), the per-topic
 * state and the other types the hub's files share, and the functions they
 * call in each other, grouped by the file that has them. Functions shared
 * between the files start with _fcm_hub_; everything else is static in its
 * file.
 *
 * Everything runs on the thread-default main context of the caller of
 * fcm_hub_listen(): no threads, no blocking calls. Rule ids (H-xx) refer
 * to the project's spec digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where things are, in src/hub/:
 *
 *   fcm-hub.c                the GObject: properties, options, listen, shutdown
 *   fcm-hub-http.c           every HTTP request: routing, the checks made from
 *                            the headers alone (before the body), discovery,
 *                            the common replies
 *   fcm-hub-listen.c         the listening socket and its backlog, taking
 *                            connections (EMFILE, the accept's priority)
 *   fcm-hub-connections.c    the TCP connections: closed and idle keep-alive
 *                            connections, answers written before the body is
 *                            read
 *   fcm-hub-auth.c           who may call: secret, tokens, introspection; the
 *                            2019 GetTopic (--users)
 *   fcm-hub-tokens.c         the --tokens file and scope checks (H-03, H-09)
 *   fcm-hub-introspect.c     OAuth 2.0 token introspection (RFC 7662)
 *   fcm-hub-subscriptions.c  subscribe, renew, unsubscribe, leases, denial
 *                            (H-04..H-14)
 *   fcm-hub-channel.c        the WebSocket endpoints: a socket bound to its
 *                            subscription, incoming frames, closes (H-10..H-12,
 *                            H-35)
 *   fcm-hub-context.c        context change requests, versionIds, async, Get
 *                            Current Context (H-15..H-30)
 *   fcm-hub-content.c        DiagnosticReport-update Bundles (H-24, H-25)
 *   fcm-hub-derived.c        implied Patient / ImagingStudy / Encounter events
 *                            (H-21)
 *   fcm-hub-broadcast.c      sending: one frame for all, admin faults,
 *                            heartbeat (H-18, H-39)
 *   fcm-hub-acks.c           acks and their deadlines; the syncerror for a
 *                            refused or missed ack; resends (H-32..H-37)
 *   fcm-hub-audit.c          the audit trail and ATNA messages (H-40)
 *   fcm-hub-admin.c          /admin/: inspection and fault injection, and who
 *                            may use it
 *   fcm-hub-legacy.c         the 2019 prototype's ws://host/{topic} socket
 *   fcm-hub-util.c           random ids, redaction, JSON text, event names
 *   fcm-ws.c                 RFC 6455 (FcmWsConn); fcm-atna.c ATNA over syslog
 */

#pragma once

#include <libsoup/soup.h>

#include "fcm-atna-private.h"
#include "fcm-event.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-validator.h"
#include "fcm-ws-private.h"

G_BEGIN_DECLS

#define SYNCERROR_SYSTEM "https://fhircast.hl7.org/events/syncerror/"
#define WS_PATH FCM_HUB_BASE_PATH "/ws"
#define ADMIN_PATH "/admin"

/* Limits of a subscription request (docs/hub.md, "Limits") */
#define MAX_EVENTS 100             /* distinct names in hub.events */
#define MAX_EVENT_NAME_BYTES 128
#define MAX_TOPIC_BYTES 256
#define MAX_NAME_BYTES 256         /* subscriber.name */

typedef struct _Subscriber Subscriber;
typedef struct _HubConnection HubConnection;
typedef struct _EarlyAnswer EarlyAnswer;

/* Every matched ack's latency, for /admin/ (bench-app-load reads p50/p99):
 * four buckets per power of two of µs (±10 %), up to 2^31 µs. */
#define ACK_HISTOGRAM_BUCKETS (31 * 4)

typedef struct
{
  guint32 counts[ACK_HISTOGRAM_BUCKETS];
  guint64 n;
  gint64  max;            /* µs */
} AckHistogram;

void   _fcm_hub_ack_histogram_add      (AckHistogram *h,
                                        gint64        usec);
double _fcm_hub_ack_histogram_quantile (AckHistogram *h,
                                        double        q);

typedef struct
{
  Subscriber *sub;
  char       *id;
  char       *event_name;
  GList       link;          /* in FcmHub.ack_queue, ordered by deadline */
  gint64      deadline;      /* monotonic µs */
  gint64      sent_at;       /* monotonic µs, for the admin latency figure */
} Pending;

struct _Subscriber
{
  FcmHub                  *hub;
  char                    *id;
  char                    *topic;
  char                    *name;
  GPtrArray               *events;
  GPtrArray               *events_canon;  /* canonical spellings of events (not owned) */
  guint                    lease_seconds;
  guint                    lease_id;
  FcmWsConn               *conn;
  GHashTable              *pending;       /* event id → Pending */
  guint                    missed_acks;   /* consecutive ack timeouts */
  gint64                   lease_end;     /* monotonic µs */
  gint64                   last_latency;  /* µs of the last matched ack, -1 = none yet */
  AckHistogram            *latencies;     /* every matched ack; NULL until the first */
  guint                    delay_ms;      /* admin fault: delay every notification */
  int                      drop;          /* admin fault: drop the next N notifications, -1 = all */
  char                    *implied[3];    /* H-21: Patient / ImagingStudy / Encounter id current for this subscriber */
  GHashTable              *resends;       /* H-37: syncerror id → Resend */
  int                      async_mode;    /* admin fault: ASYNC_OFF, ASYNC_ACCEPT, ASYNC_REJECT */
  int                      async_left;    /* requests left for async_mode, -1 = all */
  guint                    async_delay_ms;
  char                    *async_reason;
  guint64                  seq;           /* subscribe order */
  gboolean                 ever_connected;
  gboolean                 legacy;        /* connected through the 2019 ws://host/{topic} socket */
  GQueue                  *legacy_sent;   /* ids of the notifications sent on the legacy socket */
  char                    *token_name;    /* --tokens: the `name` of the token that subscribed */
  char                    *owner;         /* --tokens/--introspect: the principal of that token; only
                                           * it may renew, unsubscribe or connect the endpoint */
  char                    *quota_key;     /* what it counts against: the owner, else the address */
  guint                    unconnected_id;/* no socket: the subscription ends when this fires */
  guint                    too_slow_id;   /* its send queue passed the cap: it ends when this runs */
  gint64                   token_expires; /* --tokens: its expiry, real-time µs; 0 = none (H-09) */
  gboolean                 lease_by_token;/* the token expires before the lease ends */
  guint64                  acks;          /* acks matched to a pending notification, in total */
  guint64                  refused_acks;  /* of them, not 2xx */
  guint64                  missed_total;  /* ack timeouts, in total */
};

enum { ASYNC_OFF, ASYNC_ACCEPT, ASYNC_REJECT };

typedef struct
{
  Subscriber *sub;
  char       *id;
  char       *text;
  guint       left;
  guint       timeout_id;
} Resend;

typedef struct
{
  char       *anchor_type;   /* "DiagnosticReport" */
  char       *anchor_id;
  char       *open_name;     /* the -open event name as received */
  char       *version_id;
  JsonNode   *open_message;  /* the broadcast -open message, for replay (H-12) */
  char       *open_ids[2];   /* its patient and study ids, for resume (H-20) */
  JsonArray  *context;       /* the -open context (H-30) */
  JsonObject *content;       /* "Type/id" → resource (H-24) */
} Context;

typedef struct
{
  char       *topic;
  GPtrArray  *contexts;      /* Context*, open ones; most recently activated last */
  Context    *current;       /* NULL = empty current context */
  GHashTable *processed;     /* event id → GUINT status (H-19), the newest processed_max */
  GQueue      processed_order; /* the ids in processed (its keys), oldest first */
} Topic;

/* how many event ids per topic the hub remembers to spot a retry (H-19):
 * retries come within seconds; unbounded, the table grew by every event
 * (2,000 a second under load) */
#define FCM_HUB_PROCESSED_MAX 4096

/* --tokens (H-03, H-09): one `[token LABEL]` group of the tokens file */
typedef struct
{
  char      *event;          /* an event name or "*" */
  gboolean   read;
  gboolean   write;
} Scope;

typedef struct
{
  char      *label;
  char      *secret;
  char      *name;           /* who the bearer is: used in logs, admin and audit output */
  char      *principal;      /* which application: its subscriptions are bound to it */
  gboolean   admin;          /* --tokens: the `admin` scope (the /admin/ endpoints) */
  GPtrArray *scopes;         /* Scope* */
  gint64     expires;        /* real-time µs; G_MAXINT64 = never */
  gboolean   inactive;       /* --introspect: the server said "active": false */
  gint64     cache_until;    /* --introspect: monotonic µs until which this answer is used */
} Token;

/* --audit (H-40): JSON lines written in order without blocking the loop */
typedef struct
{
  GOutputStream *stream;
  GQueue         lines;      /* GBytes*; the head is being written while busy */
  gboolean       busy;
  gboolean       orphaned;   /* the hub is gone: finish the queue, then free */
  gboolean       failed;
} AuditWriter;

/* What one HTTP request did, filled in while it is handled (synchronously) */
typedef struct
{
  const char *transaction;   /* "RAD-146", …; NULL = not audited */
  const char *action;
  char       *topic;
  char       *event_name;
  char       *event_id;
  char       *endpoint;      /* redacted */
  char       *subscriber_name;
  char       *events;        /* hub.events of a subscribe (ATNA query) */
  Token      *token;
} AuditRecord;

struct _FcmHub
{
  GObject      parent_instance;

  guint        processed_max;         /* FCM_HUB_PROCESSED_MAX; tests lower it */

  SoupServer  *server;
  char        *url;
  char        *ws_url;
  char        *secret;
  char        *syncerror_severity;
  double       ack_timeout;
  guint        max_missed_acks;
  double       syncerror_resend_interval;   /* H-37: seconds */
  guint        syncerror_resends;           /* H-37: resends per unacknowledged syncerror */
  GHashTable  *async_jobs;   /* AsyncJob*, requests answered 202 and not yet decided (H-17) */
  GQueue       ack_queue;    /* Pending*, every unacknowledged notification, earliest deadline first */
  guint        ack_timer_id; /* one timer for all ack deadlines: the head's */
  gint64       ack_timer_deadline;
  guint        lease_default;
  guint        heartbeat;
  guint        heartbeat_id;

  GHashTable  *subscribers;  /* endpoint id → Subscriber */
  GHashTable  *retired;      /* endpoint ids never handed out again (H-14) */
  GHashTable  *topics;       /* topic → Topic */
  GHashTable  *closing;      /* FcmWsConn set, closing */
  FcmValidator *validator;   /* request-role validation of context changes */
  GHashTable  *users;        /* user name → topic (--users, 2019 GetTopic) */
  GHashTable  *delayed;      /* Delayed*, notifications held back by the admin delay fault */
  gboolean     admin;        /* serve /admin/… (loopback only) */
  gboolean     legacy;       /* serve the 2019 prototype's ws://host/{topic} */
  guint64      next_seq;
  gboolean     validate;
  gboolean     shutting_down;
  GPtrArray   *tokens;       /* Token*, --tokens; NULL = off */
  AuditWriter *audit;        /* --audit; NULL = off */
  AuditRecord *audit_rec;    /* the request being handled, while audit is on */
  char        *introspect_url;       /* --introspect: RFC 7662 endpoint; NULL = off */
  char        *introspect_auth;      /* its Authorization header (client credentials) */
  SoupSession *introspect_session;
  GCancellable *introspect_cancel;
  GHashTable  *introspected;         /* SHA-256 of a token → Token* (the answer, cached) */
  GHashTable  *introspecting;        /* SHA-256 of a token → Lookup* (requests waiting) */
  gboolean     request_paused;       /* the request being handled waits for introspection */
  FcmAtnaSender *atna;               /* --audit-syslog: ATNA messages; NULL = off */
  GSocket     *listen_socket;        /* plain HTTP: we accept (fcm-hub-listen.c) */
  GSource     *listen_source;
  GSocket     *placeholder_peer;     /* keeps SoupServer's placeholder listener quiet */
  guint        accept_retry_id;      /* accept failed (EMFILE): paused until then */
  gboolean     accept_failing;       /* warned about it; until one is accepted */
  int          accept_priority;      /* of taking new connections (plain HTTP) */
  GHashTable  *connections;          /* GSocket or remote address → HubConnection */
  double       idle_timeout;         /* seconds; keep-alive connections idle longer are closed */
  GQueue       idle_queue;           /* HubConnection links while idle, by deadline */
  guint        idle_timer_id;        /* the one timer for the first of them */
  gint64       idle_timer_deadline;  /* monotonic µs it was set for */
  GHashTable  *early_answers;        /* EarlyAnswer set: answers written before the body */
  char        *admin_secret;         /* the /admin/ credential; NULL = none */
  gboolean     ws_token_optional;    /* accept token-less upgrades with --tokens/--introspect */
  guint        lease_max;            /* longest lease granted */
  double       unconnected_timeout;  /* seconds a subscription may stay without a socket */
  guint        max_subscriptions;    /* per token, or per address without tokens */
  GHashTable  *quota;                /* quota key → number of subscriptions (GUINT) */
  gsize        max_queued_bytes;     /* a subscriber's unsent notifications beyond this: it ends */
  guint        subscribers_peak;     /* most subscribers since the heap was last trimmed */
  guint        trim_id;              /* idle: give freed memory back to the system */
  GHashTable  *changed_topics;       /* topics whose subscribers changed since the last signal */
  guint        changed_id;           /* the timer that emits ::subscribers-changed */
};

enum {
  SIGNAL_SUBSCRIBER_ADDED,
  SIGNAL_SUBSCRIBER_REMOVED,
  SIGNAL_EVENT_BROADCAST,
  SIGNAL_SYNCERROR,
  SIGNAL_SUBSCRIBERS_CHANGED,
  N_SIGNALS
};

typedef struct
{
  FcmHub *hub;
  char   *sub_id;
  char   *id;
  char   *text;
  guint   source_id;
} Delayed;

typedef enum { AUTH_OK, AUTH_REFUSED, AUTH_PAUSED } AuthResult;

typedef struct
{
  guint  status;
  char  *reason;
} Verdict;

#define REJECT(v, code, ...) \
  G_STMT_START { (v)->status = (code); (v)->reason = g_strdup_printf (__VA_ARGS__); return FALSE; } G_STMT_END

/* H-17: a context request answered 202 Accepted, decided later. */
typedef struct
{
  FcmHub   *hub;
  char     *sub_id;      /* the subscriber that plays the requester */
  FcmEvent *event;
  gboolean  reject;
  char     *reason;
  guint     source_id;
} AsyncJob;

extern guint _fcm_hub_signals[N_SIGNALS];

/* Called for every subscriber of every broadcast: inline, like the static functions they were */

/* Whether @sub subscribed to @name: fcm_event_name_equal() against the
 * spellings canonicalized once at subscribe time (H-06, H-18). */
static inline gboolean
_fcm_hub_subscriber_wants_canonical (Subscriber *sub,
                                     const char *canon)
{
  for (guint i = 0; i < sub->events_canon->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (sub->events_canon, i), canon) == 0)
      return TRUE;
  return FALSE;
}

static inline gboolean
_fcm_hub_subscriber_wants (Subscriber *sub,
                           const char *name)
{
  return name != NULL && _fcm_hub_subscriber_wants_canonical (sub, fcm_event_name_canonicalize (name));
}

static inline gboolean
_fcm_hub_subscriber_is_open (Subscriber *sub)
{
  return sub->conn != NULL && fcm_ws_conn_get_state (sub->conn) == FCM_WS_STATE_OPEN;
}

/* fcm-hub-util.c */
const char *_fcm_hub_check_topic (const char *topic);
gboolean _fcm_hub_json_has_nul (const char *text,
                                gsize       length);
GHashTable *_fcm_hub_form_decode (const char  *text,
                                  gsize        length,
                                  const char **out_bad_field);
char *_fcm_hub_random_hex (gsize n_bytes);
char *_fcm_hub_random_uuid (void);
char *_fcm_hub_redact (const char *text);
char *_fcm_hub_node_to_string (JsonNode *node);
char *_fcm_hub_object_to_string (JsonObject *object);
gboolean _fcm_hub_has_suffix_ci (const char *name,
                                 const char *suffix);
char *_fcm_hub_anchor_type_of (const char *name);
int _fcm_hub_compare_strings (gconstpointer a,
                              gconstpointer b);
const char *_fcm_hub_form_get (GHashTable *form,
                               const char *key);
gboolean _fcm_hub_is_blank (const char *text);

/* fcm-hub-audit.c */
void _fcm_hub_audit_writer_release (AuditWriter *writer);
void _fcm_hub_audit_record_clear (AuditRecord *rec);
void _fcm_hub_audit_note (FcmHub     *self,
                          const char *transaction,
                          const char *action,
                          const char *topic);
void _fcm_hub_audit_note_event (FcmHub     *self,
                                const char *event_name,
                                const char *event_id);
void _fcm_hub_audit_note_subscriber (FcmHub     *self,
                                     const char *endpoint_id,
                                     const char *name);
const char *_fcm_hub_audit_transaction_of (const char *event_name);
void _fcm_hub_audit_emit (FcmHub            *self,
                          SoupServerMessage *msg,
                          AuditRecord       *rec);
void _fcm_hub_audit_emit_atna (FcmHub            *self,
                               SoupServerMessage *msg,
                               AuditRecord       *rec);
gboolean _fcm_hub_auditing (FcmHub *self);
void _fcm_hub_audit_classify (FcmHub            *self,
                              SoupServerMessage *msg,
                              const char        *path,
                              GBytes            *body);

/* fcm-hub-listen.c */
gboolean _fcm_hub_conn_listen (FcmHub        *self,
                               GInetAddress  *address,
                               guint          port,
                               gboolean       tls,
                               GError       **error);
GSocket *_fcm_hub_conn_get_listen_socket (FcmHub *self);
guint _fcm_hub_conn_get_n_live_sockets (void);
void _fcm_hub_listen_stop (FcmHub *self);

/* fcm-hub-connections.c */
HubConnection *_fcm_hub_conn_track (FcmHub   *self,
                                    GSocket  *socket,
                                    gpointer  key);
void _fcm_hub_conn_untrack (HubConnection *conn);
void _fcm_hub_connection_free (HubConnection *conn);
void _fcm_hub_conn_shutdown (FcmHub *self);
void _fcm_hub_conn_request_started_cb (SoupServer        *server,
                                       SoupServerMessage *msg,
                                       FcmHub            *self);
void _fcm_hub_conn_request_done_cb (SoupServer        *server,
                                    SoupServerMessage *msg,
                                    FcmHub            *self);
void _fcm_hub_conn_forget (FcmHub            *self,
                           SoupServerMessage *msg);
void _fcm_hub_early_answer_orphan (EarlyAnswer *early);
void _fcm_hub_answer_early (FcmHub            *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            guint              status,
                            const char        *reason);
gboolean _fcm_hub_conn_limit_body (FcmHub            *self,
                                   SoupServerMessage *msg,
                                   const char        *path);

/* fcm-hub-tokens.c */
void _fcm_hub_scope_free (Scope *scope);
void _fcm_hub_token_free (Token *token);
gboolean _fcm_hub_token_allows (Token      *token,
                                const char *event_name,
                                gboolean    write);
gboolean _fcm_hub_token_reads_any (Token *token);
Token *_fcm_hub_find_token (FcmHub     *self,
                            const char *secret);
gboolean _fcm_hub_token_expired (Token *token);
Scope *_fcm_hub_scope_parse (const char *text);

/* fcm-hub-introspect.c */
void _fcm_hub_introspect_finalize (FcmHub *self);
AuthResult _fcm_hub_introspected_token (FcmHub             *self,
                                        SoupServerMessage  *msg,
                                        const char         *path,
                                        GHashTable         *query,
                                        const char         *secret,
                                        gboolean            early,
                                        Token             **out_token,
                                        const char        **out_reason);

/* fcm-hub-auth.c */
typedef struct
{
  guint       status;        /* 401, 403 or 503 */
  const char *reason;
  const char *challenge;     /* the WWW-Authenticate value, or NULL */
} AuthRefusal;

gboolean _fcm_hub_constant_time_equal (const char *a,
                                       const char *b);
AuthResult _fcm_hub_authenticate (FcmHub             *self,
                                  SoupServerMessage  *msg,
                                  const char         *path,
                                  GHashTable         *query,
                                  gboolean            early,
                                  Token             **out_token,
                                  AuthRefusal        *refusal);
void _fcm_hub_refuse (SoupServerMessage *msg,
                      AuthRefusal       *refusal);
gboolean _fcm_hub_check_auth (FcmHub             *self,
                              SoupServerMessage  *msg,
                              const char         *path,
                              GHashTable         *query,
                              Token             **out_token);
gboolean _fcm_hub_is_gettopic_path (const char *path);
void _fcm_hub_handle_gettopic (FcmHub            *self,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query);

/* fcm-hub-admin.c */
gboolean _fcm_hub_admin_authorized (FcmHub            *self,
                                    SoupServerMessage *msg,
                                    AuthRefusal       *refusal);
void _fcm_hub_handle_admin (FcmHub            *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query);
void _fcm_hub_subscribers_changed (FcmHub     *self,
                                   const char *topic);
void _fcm_hub_subscribers_changed_stop (FcmHub *self);

/* fcm-hub-legacy.c */
char *_fcm_hub_legacy_wrap (Subscriber *sub,
                            const char *text);
void _fcm_hub_handle_legacy_reply (Subscriber *sub,
                                   JsonObject *obj);
void _fcm_hub_legacy_ws_cb (FcmHub     *self,
                            const char *topic,
                            const char *principal,
                            FcmWsConn  *conn);
gboolean _fcm_hub_is_legacy_ws_path (FcmHub     *self,
                                     const char *path);

/* fcm-hub-acks.c */
void _fcm_hub_pending_free (Pending *pending);
void _fcm_hub_resend_free (Resend *resend);
void _fcm_hub_emit_syncerror (FcmHub     *self,
                              const char *topic,
                              Subscriber *culprit,
                              const char *event_id,
                              const char *event_name,
                              const char *diagnostics);
void _fcm_hub_syncerror_to_requester (FcmHub     *self,
                                      Subscriber *sub,
                                      FcmEvent   *event,
                                      const char *reason);
void _fcm_hub_expect_ack (FcmHub     *self,
                          Subscriber *sub,
                          const char *id,
                          const char *event_name);
void _fcm_hub_handle_ack_status (Subscriber *sub,
                                 const char *id,
                                 guint       status);
void _fcm_hub_handle_ack (Subscriber *sub,
                          JsonObject *obj);

/* fcm-hub-broadcast.c */
GPtrArray *_fcm_hub_find_recipients (FcmHub     *self,
                                     const char *topic,
                                     const char *event_name,
                                     Subscriber *except);
void _fcm_hub_delayed_free (Delayed *delayed);
void _fcm_hub_deliver (FcmHub     *self,
                       Subscriber *sub,
                       const char *id,
                       const char *event_name,
                       const char *text,
                       gboolean    expect_ack);
void _fcm_hub_broadcast (FcmHub     *self,
                         const char *topic,
                         const char *id,
                         const char *event_name,
                         const char *text,
                         Subscriber *except);
void _fcm_hub_restart_heartbeat (FcmHub *self);

/* fcm-hub-context.c */
void _fcm_hub_topic_free (Topic *topic);
Topic *_fcm_hub_ensure_topic (FcmHub     *self,
                              const char *name);
void _fcm_hub_async_job_free (AsyncJob *job);
void _fcm_hub_handle_context_change (FcmHub            *self,
                                     SoupServerMessage *msg,
                                     const char        *path_topic,
                                     const char        *body,
                                     gsize              length,
                                     Token             *token);
void _fcm_hub_handle_get_context (FcmHub            *self,
                                  SoupServerMessage *msg,
                                  const char        *topic_name,
                                  Token             *token);

/* fcm-hub-content.c */
char *_fcm_hub_resource_key (JsonObject *resource);
gboolean _fcm_hub_context_knows (Context    *ctx,
                                 const char *key);
gboolean _fcm_hub_check_update_bundle (Context    *ctx,
                                       JsonObject *bundle,
                                       Verdict    *v);
void _fcm_hub_apply_update_bundle (Context    *ctx,
                                   JsonObject *bundle);

/* fcm-hub-derived.c */
void _fcm_hub_derive_implied (FcmHub     *self,
                              FcmEvent   *event,
                              JsonArray  *anchor_context);
void _fcm_hub_replay_derived_opens (FcmHub     *self,
                                    Subscriber *sub,
                                    Topic      *topic);

/* fcm-hub-subscriptions.c */
void _fcm_hub_subscriber_free (Subscriber *sub);
void _fcm_hub_subscriber_wait_for_socket (Subscriber *sub);
void _fcm_hub_subscriber_send_mode (Subscriber *sub,
                                    const char *mode,
                                    const char *reason);
void _fcm_hub_remove_subscriber (FcmHub     *self,
                                 Subscriber *sub,
                                 const char *reason,
                                 gboolean    send_denial);
void _fcm_hub_handle_form (FcmHub            *self,
                           SoupServerMessage *msg,
                           GHashTable        *form,
                           Token             *token);

/* fcm-hub-channel.c */
void _fcm_hub_close_connection (FcmHub     *self,
                                FcmWsConn  *conn,
                                gushort     code,
                                const char *reason);
void _fcm_hub_subscriber_detach (Subscriber *sub,
                                 gushort     code,
                                 const char *reason);
void _fcm_hub_subscriber_send_text (Subscriber *sub,
                                    const char *text);
void _fcm_hub_subscriber_attach (Subscriber *sub,
                                 FcmWsConn  *conn,
                                 gboolean    legacy);
void _fcm_hub_ws_handshake (FcmHub            *self,
                            SoupServerMessage *msg);

/* fcm-hub-http.c */
void _fcm_hub_respond_text (SoupServerMessage *msg,
                            guint              status,
                            const char        *text);
void _fcm_hub_respond_json (SoupServerMessage *msg,
                            guint              status,
                            JsonObject        *obj);
void _fcm_hub_handle (FcmHub            *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query);
void _fcm_hub_http_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data);
gboolean _fcm_hub_early_check (FcmHub            *self,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query);
void _fcm_hub_early_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data);

G_END_DECLS
