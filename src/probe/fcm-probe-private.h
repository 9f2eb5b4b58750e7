/* fcm-probe-private.h: shared by the files of the probe library
 *
 * A scenario is a small protothread: one function that the runner calls
 * again each time the asynchronous operation it started has completed. The
 * PT_* macros turn that into straight-line code:
 *
 *   static void
 *   scenario_example (FcmProbeCtx *ctx)
 *   {
 *     Example *s = ctx->state;          (state that must survive a yield)
 *
 *     PT_BEGIN (ctx);
 *     fcm_probe_ctx_http (ctx, "GET", url, NULL, NULL, 0);
 *     PT_YIELD (ctx);                   (resumes here when the answer is in)
 *     fcm_probe_check (ctx, ctx->status == 200, "H-01", …);
 *     PT_END (ctx);                     (the scenario is over)
 *   }
 *
 * Each PT_YIELD must follow exactly one operation (an HTTP request, a wait,
 * a WebSocket connect). Local variables do not survive a yield: keep what
 * is needed later in the scenario's state struct. No switch statement may
 * span a yield. Everything runs on the GLib main loop: no threads, and a
 * scenario never blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-probe-result.h"
#include "fcm-probe-runner.h"

G_BEGIN_DECLS

typedef struct _FcmProbeCtx FcmProbeCtx;
typedef struct _FcmProbeSub FcmProbeSub;

typedef void     (*FcmProbeScenarioFunc) (FcmProbeCtx *ctx);
typedef gboolean (*FcmProbeCond)         (FcmProbeCtx *ctx,
                                          gpointer     data);
/* A compound operation: called each time one of its steps completes;
 * returns TRUE when it started the next step, FALSE when it is over. */
typedef gboolean (*FcmProbeChain)        (FcmProbeCtx *ctx,
                                          gpointer     data);

typedef enum
{
  FCM_PROBE_MATCH_ANY,
  FCM_PROBE_MATCH_CONFIRMATION,
  FCM_PROBE_MATCH_DENIAL,
  FCM_PROBE_MATCH_EVENT,          /* any event notification (syncerrors included) */
  FCM_PROBE_MATCH_EVENT_ID,       /* arg: the id */
  FCM_PROBE_MATCH_EVENT_NAME,     /* arg: the event name (case-insensitive) */
  FCM_PROBE_MATCH_SYNCERROR,      /* arg: NULL, or the id the syncerror names */
} FcmProbeMatch;

/* What a scenario needs from the probe before it starts. */
typedef enum
{
  FCM_PROBE_SCENARIO_SHORT_LEASE = 1 << 0,   /* subscriber probe: grant the short lease */
  FCM_PROBE_SCENARIO_PUBLISH     = 1 << 1,   /* subscriber probe: the app must publish */
} FcmProbeScenarioFlags;

struct _FcmProbeScenario
{
  FcmProbeScenarioInfo  info;
  FcmProbeScenarioFunc  run;
  gsize                 state_size;    /* the scenario's own state, zeroed */
  GDestroyNotify        state_clear;   /* clears (not frees) that state */
  FcmProbeScenarioFlags flags;
};

struct _FcmProbeCtx
{
  FcmProbe                *probe;       /* owns the ctx */
  const FcmProbeScenario  *scenario;
  FcmProbeResult          *result;
  gpointer                 state;
  int                      pt;          /* protothread resume point */
  gint64                   started;
  GCancellable            *cancellable;

  /* The last HTTP exchange. */
  guint                    status;
  char                    *body;
  gsize                    body_len;
  char                    *content_type;
  GError                  *error;

  /* The operation in flight, if any. */
  gboolean                 busy;
  gboolean                 finished;
  gboolean                 timed_out;
  FcmProbeCond             cond;
  gpointer                 cond_data;
  guint                    timeout_id;
  guint                    resume_id;
  FcmProbeChain            chain;
  gpointer                 chain_data;

  /* Hub probe: hub.url, the scenario's topic, scripted subscribers, leftovers. */
  const char              *hub_url;
  char                    *topic;
  GPtrArray               *subs;        /* FcmProbeSub */
  GPtrArray               *strays;      /* endpoints a hub granted unasked: unsubscribe them */
  GPtrArray               *open_reports; /* report ids opened and not closed yet */
  /* fcm_probe_hub_wait_subs(): the subscribers that must all see a frame */
  FcmProbeSub             *waitset[8];
  guint                    n_waitset;
  FcmProbeMatch            waitset_match;
  char                    *waitset_arg;
};

#define PT_BEGIN(ctx) switch ((ctx)->pt) { case 0:
#define PT_YIELD(ctx) G_STMT_START { (ctx)->pt = __LINE__; return; case __LINE__:; } G_STMT_END
#define PT_END(ctx)   default: break; } fcm_probe_ctx_finish (ctx)
/* Ends the scenario early (after a skip or a fatal failure). */
#define PT_EXIT(ctx)  G_STMT_START { fcm_probe_ctx_finish (ctx); return; } G_STMT_END

/* fcm-probe-runner.c: what the two probes share */

const char     *fcm_probe_get_kind             (FcmProbe     *self);
SoupSession    *fcm_probe_get_session          (FcmProbe     *self);
const char     *fcm_probe_get_token            (FcmProbe     *self);
void            fcm_probe_set_token_internal   (FcmProbe     *self,
                                                const char   *token);
double          fcm_probe_get_window           (FcmProbe     *self);
void            fcm_probe_add_secret           (FcmProbe     *self,
                                                const char   *secret,
                                                guint         keep);
void            fcm_probe_add_endpoint_secret  (FcmProbe     *self,
                                                const char   *endpoint_url);
char           *fcm_probe_redact               (FcmProbe     *self,
                                                const char   *text) G_GNUC_WARN_UNUSED_RESULT;
FcmProbeCtx    *fcm_probe_get_current_ctx      (FcmProbe     *self);
void            fcm_probe_emit_evidence_added  (FcmProbe     *self,
                                                const char   *scenario_id,
                                                const char   *line);

/* fcm-probe-ctx.c: operations, findings, evidence */
FcmProbeCtx    *fcm_probe_ctx_new              (FcmProbe               *probe,
                                                const FcmProbeScenario *scenario,
                                                GCancellable           *cancellable);
void            fcm_probe_ctx_free             (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_start            (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_finish           (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_poke             (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_begin            (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_complete         (FcmProbeCtx  *ctx);
void            fcm_probe_ctx_chain            (FcmProbeCtx  *ctx,
                                                FcmProbeChain chain,
                                                gpointer      data);
void            fcm_probe_ctx_http             (FcmProbeCtx  *ctx,
                                                const char   *method,
                                                const char   *url,
                                                const char   *content_type,
                                                const char   *body,
                                                gssize        body_len);
void            fcm_probe_ctx_wait             (FcmProbeCtx  *ctx,
                                                FcmProbeCond  cond,
                                                gpointer      data,
                                                double        seconds);
void            fcm_probe_ctx_sleep            (FcmProbeCtx  *ctx,
                                                double        seconds);
double          fcm_probe_ctx_timeout          (FcmProbeCtx  *ctx);
JsonObject     *fcm_probe_ctx_body_object      (FcmProbeCtx  *ctx);

void            fcm_probe_evidence             (FcmProbeCtx  *ctx,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (2, 3);
void            fcm_probe_evidence_frame       (FcmProbeCtx  *ctx,
                                                const char   *prefix,
                                                const char   *text,
                                                gsize         len);
void            fcm_probe_fail                 (FcmProbeCtx  *ctx,
                                                const char   *rule,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (3, 4);
void            fcm_probe_warn                 (FcmProbeCtx  *ctx,
                                                const char   *rule,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (3, 4);
void            fcm_probe_note                 (FcmProbeCtx  *ctx,
                                                const char   *rule,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (3, 4);
void            fcm_probe_skip                 (FcmProbeCtx  *ctx,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (2, 3);
gboolean        fcm_probe_check                (FcmProbeCtx  *ctx,
                                                gboolean      ok,
                                                const char   *rule,
                                                const char   *format,
                                                ...) G_GNUC_PRINTF (4, 5);
void            fcm_probe_validate             (FcmProbeCtx      *ctx,
                                                const char       *what,
                                                JsonNode         *root,
                                                FcmValidatorRole  role,
                                                gboolean          errors_fail);

/* fcm-probe-context.c: valid FHIRcast bodies to send */
JsonArray      *fcm_probe_context_open         (const char   *report,
                                                const char   *patient,
                                                const char   *study) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_probe_context_close        (const char   *report,
                                                const char   *patient,
                                                const char   *study) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_probe_context_update       (const char   *report,
                                                const char   *patient,
                                                const char   *study,
                                                const char   *observation,
                                                double        value) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_probe_context_select       (const char   *report,
                                                const char   *patient,
                                                const char   *reference) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_probe_context_syncerror    (const char   *event_id,
                                                const char   *event_name,
                                                const char   *subscriber,
                                                const char   *diagnostics) G_GNUC_WARN_UNUSED_RESULT;
char           *fcm_probe_message_new          (const char   *id,
                                                const char   *timestamp,
                                                const char   *topic,
                                                const char   *event_name,
                                                JsonArray    *context,
                                                const char   *version_id,
                                                const char   *prior_version_id) G_GNUC_WARN_UNUSED_RESULT;
char           *fcm_probe_now_iso              (void) G_GNUC_WARN_UNUSED_RESULT;
char           *fcm_probe_random_id            (const char   *prefix) G_GNUC_WARN_UNUSED_RESULT;

/* fcm-probe-sub.c: the hub probe's scripted subscribers */

struct _FcmProbeSub
{
  FcmProbeCtx             *ctx;
  char                    *label;        /* "A", "B", …: for the evidence */
  char                    *name;         /* subscriber.name */
  char                    *topic;
  char                    *events;
  guint                    lease;        /* hub.lease_seconds asked for; 0 = none */
  char                    *endpoint;     /* hub.channel.endpoint */
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;       /* FcmProbeFrame */
  guint                    ack_status;   /* 0: never ack */
  gboolean                 confirmed;
  gboolean                 closed;       /* the socket was up and is closed now */
  gushort                  close_code;
  gboolean                 unsubscribed;
  guint                    connect_status; /* HTTP status of a refused upgrade */
  char                    *failure;      /* why opening failed, for a skip */
  /* what a wait is waiting for, and where fcm_probe_sub_open() is */
  FcmProbeMatch            wait_match;
  char                    *wait_arg;
  int                      open_step;
  gboolean                 opened;       /* the open attempt is over (see failure) */
};

typedef struct
{
  char     *text;
  JsonNode *json;           /* NULL when not JSON */
  FcmMessageKind kind;
  gboolean  taken;
  gint64    at;
} FcmProbeFrame;

FcmProbeSub    *fcm_probe_sub_new              (FcmProbeCtx  *ctx,
                                                const char   *label,
                                                const char   *topic,
                                                const char   *events);
GHashTable     *fcm_probe_sub_form             (FcmProbeSub  *sub,
                                                const char   *mode) G_GNUC_WARN_UNUSED_RESULT;
void            fcm_probe_post_form            (FcmProbeCtx  *ctx,
                                                GHashTable   *form);
gboolean        fcm_probe_sub_take_endpoint    (FcmProbeSub  *sub);
void            fcm_probe_sub_subscribe        (FcmProbeSub  *sub);
void            fcm_probe_sub_unsubscribe      (FcmProbeSub  *sub);
void            fcm_probe_sub_connect          (FcmProbeSub  *sub,
                                                const char   *url);
void            fcm_probe_sub_open             (FcmProbeSub  *sub);
gboolean        fcm_probe_sub_open_step        (FcmProbeCtx  *ctx,
                                                FcmProbeSub  *sub);
void            fcm_probe_sub_close            (FcmProbeSub  *sub,
                                                gushort       code);
void            fcm_probe_sub_drop             (FcmProbeSub  *sub);
void            fcm_probe_sub_send_text        (FcmProbeSub  *sub,
                                                const char   *text,
                                                gsize         len);
FcmProbeFrame  *fcm_probe_sub_find             (FcmProbeSub  *sub,
                                                FcmProbeMatch match,
                                                const char   *arg);
void            fcm_probe_wait_frame           (FcmProbeSub  *sub,
                                                FcmProbeMatch match,
                                                const char   *arg,
                                                double        seconds);
FcmProbeFrame  *fcm_probe_sub_take             (FcmProbeSub  *sub,
                                                FcmProbeMatch match,
                                                const char   *arg);
void            fcm_probe_wait_closed          (FcmProbeSub  *sub,
                                                double        seconds);
guint           fcm_probe_sub_count            (FcmProbeSub  *sub,
                                                FcmProbeMatch match,
                                                const char   *arg);
JsonObject     *fcm_probe_frame_event          (FcmProbeFrame *frame);
void            fcm_probe_sub_free             (FcmProbeSub  *sub);

G_END_DECLS
