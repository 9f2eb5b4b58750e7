/* fcm-probe-hub-subscribe.c: hub scenarios about subscriptions
 *
 * discovery, subscribe, subscribe-invalid, confirmation, endpoint-unknown,
 * endpoint-entropy, lease, unsubscribe, unsubscribe-invalid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/* How many endpoints endpoint-entropy collects. */
#define N_ENTROPY_SAMPLES 8

/* ------------------------------------------------------------------ helpers */

/* The id part of an endpoint URL: after the last '/', query included. */
static const char *
endpoint_id (const char *endpoint)
{
  const char *query = strpbrk (endpoint, "?#");
  const char *slash = NULL;

  for (const char *p = endpoint; *p != '\0' && (query == NULL || p < query); p++)
    if (*p == '/')
      slash = p;
  return slash != NULL ? slash + 1 : endpoint;
}

/* The endpoint with its id replaced: the same length and alphabet, random
 * characters (@near: only the last character changed). */
static char *
forge_endpoint (const char *endpoint,
                gboolean    near)
{
  static const char hex[] = "0123456789abcdef";
  static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char *forged = g_strdup (endpoint);
  char *id = forged + (endpoint_id (endpoint) - endpoint);
  char *end = id + strcspn (id, "?#");

  if (end == id)
    return forged;
  if (near)
    {
      end[-1] = end[-1] == '0' ? '1' : '0';
      return forged;
    }
  for (char *p = id; p < end; p++)
    {
      if (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p))
        *p = hex[g_random_int_range (0, 16)];
      else if (g_ascii_isalnum (*p))
        *p = alnum[g_random_int_range (0, 62)];
    }
  return forged;
}

/* The hub.lease_seconds of the confirmation @sub received, or -1. */
static gint64
confirmed_lease (FcmProbeSub *sub)
{
  for (guint i = 0; i < sub->frames->len; i++)
    {
      FcmProbeFrame *frame = g_ptr_array_index (sub->frames, i);
      gint64 lease = -1;

      if (frame->kind == FCM_MESSAGE_CONFIRMATION &&
          fcm_json_get_int (json_node_get_object (frame->json), "hub.lease_seconds", &lease))
        return lease;
    }
  return -1;
}

/* After connecting @sub to an endpoint that must not work (and watching it
 * for the probe's window): the hub must refuse the upgrade or close at once,
 * and never send a confirmation or an event there (H-10, H-02). */
static void
judge_refused_endpoint (FcmProbeCtx *ctx,
                        FcmProbeSub *sub,
                        const char  *rule,
                        const char  *what)
{
  FcmProbeFrame *frame;

  if (sub->ws == NULL)
    {
      fcm_probe_note (ctx, rule, _("%s: the upgrade was refused (HTTP %u)"), what, sub->connect_status);
      return;
    }
  if ((frame = fcm_probe_sub_find (sub, FCM_PROBE_MATCH_EVENT, NULL)) != NULL)
    fcm_probe_fail (ctx, "H-02", _("%s: the socket received an event: anyone guessing the id gets the session's data"),
                    what);
  else if ((frame = fcm_probe_sub_find (sub, FCM_PROBE_MATCH_CONFIRMATION, NULL)) != NULL)
    fcm_probe_fail (ctx, rule, _("%s: the hub accepted the socket and confirmed a subscription"), what);
  else if (sub->closed)
    fcm_probe_note (ctx, rule, _("%s: the upgrade succeeded but the hub closed the socket at once (code %u)"),
                    what, sub->close_code);
  else
    fcm_probe_fail (ctx, rule, _("%s: the hub accepted the socket and kept it open"), what);
}

/* ---------------------------------------------------------------- discovery */

static void
discovery (FcmProbeCtx *ctx)
{
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj, *caps;
  JsonArray *events;
  gboolean ws = FALSE, current = FALSE;

  PT_BEGIN (ctx);
  url = g_strconcat (ctx->hub_url, "/.well-known/fhircast-configuration", NULL);
  fcm_probe_ctx_http (ctx, "GET", url, NULL, NULL, 0);
  PT_YIELD (ctx);

  if (ctx->error != NULL)
    {
      fcm_probe_fail (ctx, "H-01", _("No answer to the discovery request: %s"), ctx->error->message);
      PT_EXIT (ctx);
    }
  if (!fcm_probe_check (ctx, ctx->status == 200, "H-01",
                        _("GET .well-known/fhircast-configuration answered %u (expected 200)"), ctx->status))
    PT_EXIT (ctx);
  if (!g_str_equal (ctx->content_type, "application/json"))
    fcm_probe_warn (ctx, "H-01", _("The discovery document is served as “%s”, not application/json"),
                    ctx->content_type);
  root = fcm_json_parse (ctx->body, (gssize) ctx->body_len, NULL);
  if (!fcm_probe_check (ctx, root != NULL && JSON_NODE_HOLDS_OBJECT (root), "H-01",
                        _("The discovery document is %s"),
                        root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? _("a JSON object") : _("not a JSON object")))
    PT_EXIT (ctx);
  obj = json_node_get_object (root);

  events = fcm_json_get_array (obj, "eventsSupported");
  fcm_probe_check (ctx, events != NULL && json_array_get_length (events) > 0, "H-01",
                   _("eventsSupported lists %u events"), events != NULL ? json_array_get_length (events) : 0);
  if (!fcm_json_get_bool (obj, "websocketSupport", &ws))
    ws = FALSE;
  fcm_probe_check (ctx, ws, "H-01", _("websocketSupport is %s"), ws ? "true" : _("not true"));
  if (fcm_json_get_string (obj, "fhircastVersion") == NULL)
    fcm_probe_warn (ctx, "H-01", _("fhircastVersion is missing"));
  caps = fcm_json_get_object (obj, "capabilities");
  if (!(caps != NULL && fcm_json_get_bool (caps, "supportsGetCurrentContext", &current)) &&
      !fcm_json_get_bool (obj, "getCurrentSupport", &current))
    fcm_probe_warn (ctx, "H-01", _("Neither capabilities.supportsGetCurrentContext nor getCurrentSupport is there"));
  fcm_probe_validate (ctx, _("the discovery document"), root, FCM_VALIDATOR_ROLE_ANY, TRUE);
  PT_END (ctx);
}

/* ---------------------------------------------------------------- subscribe */

typedef struct
{
  FcmProbeSub *a, *b;
} Subscribe;

static void
check_subscribe_answer (FcmProbeCtx *ctx,
                        FcmProbeSub *sub)
{
  g_autofree char *what = g_strdup_printf (_("subscribe %s"), sub->label);
  gboolean has_endpoint;

  if (ctx->error != NULL)
    {
      fcm_probe_fail (ctx, "H-08", _("%s: no answer: %s"), what, ctx->error->message);
      return;
    }
  fcm_probe_check (ctx, ctx->status == 202, "H-08", _("%s answered %u (expected 202 Accepted)"), what, ctx->status);
  has_endpoint = fcm_probe_sub_take_endpoint (sub);
  if (!fcm_probe_check (ctx, has_endpoint, "H-08", _("%s: the answer %s hub.channel.endpoint"), what,
                        has_endpoint ? _("carries") : _("lacks")))
    return;
  fcm_probe_check (ctx, g_str_has_prefix (sub->endpoint, "ws://") || g_str_has_prefix (sub->endpoint, "wss://"),
                   "H-08", _("%s: the endpoint is a ws:// or wss:// URL"), what);
  if (g_str_has_prefix (ctx->hub_url, "https://") && !g_str_has_prefix (sub->endpoint, "wss://"))
    fcm_probe_warn (ctx, "C-06", _("%s: an https hub hands out a plain ws:// endpoint"), what);
  if (!g_str_equal (ctx->content_type, "application/json"))
    fcm_probe_warn (ctx, "H-08", _("%s: the answer is “%s”, not application/json"), what, ctx->content_type);
}

static void
subscribe (FcmProbeCtx *ctx)
{
  Subscribe *s = ctx->state;

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_subscribe (s->a);
  PT_YIELD (ctx);
  check_subscribe_answer (ctx, s->a);

  /* H-04: more than one subscriber per session */
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  fcm_probe_sub_subscribe (s->b);
  PT_YIELD (ctx);
  check_subscribe_answer (ctx, s->b);
  if (s->a->endpoint != NULL && s->b->endpoint != NULL)
    fcm_probe_check (ctx, !g_str_equal (s->a->endpoint, s->b->endpoint), "H-04",
                     _("Two subscribers of one topic get %s endpoints"),
                     g_str_equal (s->a->endpoint, s->b->endpoint) ? _("the same") : _("different"));
  PT_END (ctx);
}

/* -------------------------------------------------------- subscribe-invalid */

static const struct
{
  const char *label;
  const char *field;
  const char *value;          /* NULL: leave the field out */
} bad_subscribes[] = {
  { N_("without hub.channel.type"), "hub.channel.type", NULL },
  { N_("hub.channel.type=webhook"), "hub.channel.type", "webhook" },
  { N_("hub.mode=subscribed"), "hub.mode", "subscribed" },
  { N_("without hub.topic"), "hub.topic", NULL },
  { N_("empty hub.topic"), "hub.topic", "" },
  { N_("without hub.events"), "hub.events", NULL },
  { N_("empty hub.events"), "hub.events", "" },
  { N_("empty subscriber.name"), "subscriber.name", "" },
};

typedef struct
{
  FcmProbeSub *template;
  guint        i;
} SubscribeInvalid;

static void
subscribe_invalid (FcmProbeCtx *ctx)
{
  SubscribeInvalid *s = ctx->state;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *what = NULL;

  PT_BEGIN (ctx);
  s->template = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  for (s->i = 0; s->i < G_N_ELEMENTS (bad_subscribes); s->i++)
    {
      form = fcm_probe_sub_form (s->template, "subscribe");
      if (bad_subscribes[s->i].value == NULL)
        g_hash_table_remove (form, bad_subscribes[s->i].field);
      else
        g_hash_table_insert (form, g_strdup (bad_subscribes[s->i].field), g_strdup (bad_subscribes[s->i].value));
      fcm_probe_post_form (ctx, form);
      PT_YIELD (ctx);

      what = g_strdup_printf (_("subscribe %s"), _(bad_subscribes[s->i].label));
      fcm_probe_hub_expect_4xx (ctx, 400, "H-05", what);
      if (SOUP_STATUS_IS_SUCCESSFUL (ctx->status))
        fcm_probe_hub_add_stray (ctx, ctx->topic);
      else if (ctx->error == NULL && ctx->status >= 400 && ctx->status < 500 && ctx->body_len == 0)
        fcm_probe_warn (ctx, "H-08", _("%s: the refusal gives no reason"), what);
      g_clear_pointer (&what, g_free);
    }
  PT_END (ctx);
}

/* ------------------------------------------------------------- confirmation */

typedef struct
{
  FcmProbeSub *a;
} Confirmation;

static void
confirmation (FcmProbeCtx *ctx)
{
  Confirmation *s = ctx->state;
  FcmProbeFrame *frame;
  JsonObject *obj;
  const char *events;
  gint64 lease = 0;

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_subscribe (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_sub_take_endpoint (s->a))
    {
      fcm_probe_skip (ctx, _("Subscribing failed (see the subscribe scenario)"));
      PT_EXIT (ctx);
    }
  fcm_probe_sub_connect (s->a, NULL);
  PT_YIELD (ctx);
  if (!fcm_probe_check (ctx, s->a->ws != NULL, "H-10",
                        _("The WebSocket to the granted endpoint %s (HTTP %u)"),
                        s->a->ws != NULL ? _("opened") : _("did not open"), s->a->connect_status))
    PT_EXIT (ctx);

  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_ANY, NULL, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_take (s->a, FCM_PROBE_MATCH_ANY, NULL);
  if (frame == NULL)
    {
      fcm_probe_fail (ctx, "H-11", s->a->closed ? _("The hub closed the socket without a confirmation")
                                                : _("No confirmation within %.1f s"), fcm_probe_ctx_timeout (ctx));
      PT_EXIT (ctx);
    }
  if (!fcm_probe_check (ctx, frame->kind == FCM_MESSAGE_CONFIRMATION, "H-11",
                        _("The first frame %s the subscription confirmation"),
                        frame->kind == FCM_MESSAGE_CONFIRMATION ? _("is") : _("is not")))
    PT_EXIT (ctx);
  obj = json_node_get_object (frame->json);
  fcm_probe_check (ctx, g_strcmp0 (fcm_json_get_string (obj, "hub.topic"), ctx->topic) == 0, "H-11",
                   _("The confirmation names the topic (hub.topic “%s”)"),
                   fcm_json_get_string (obj, "hub.topic") ? fcm_json_get_string (obj, "hub.topic") : "");
  events = fcm_json_get_string (obj, "hub.events");
  fcm_probe_check (ctx, events != NULL && events[0] != '\0', "H-11",
                   _("The confirmation lists the granted events (hub.events “%s”)"), events ? events : "");
  if (!fcm_json_get_int (obj, "hub.lease_seconds", &lease))
    lease = 0;
  fcm_probe_check (ctx, lease > 0, "H-11", _("The confirmation grants a lease (hub.lease_seconds %lld)"),
                   (long long) lease);
  fcm_probe_validate (ctx, _("the confirmation"), frame->json, FCM_VALIDATOR_ROLE_ANY, TRUE);
  PT_END (ctx);
}

/* --------------------------------------------------------- endpoint-unknown */

typedef struct
{
  FcmProbeSub *a;
  FcmProbeSub *forged;
  guint        i;
} EndpointUnknown;

static void
endpoint_unknown (FcmProbeCtx *ctx)
{
  EndpointUnknown *s = ctx->state;
  g_autofree char *url = NULL;
  g_autofree char *label = NULL;

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  for (s->i = 0; s->i < 2; s->i++)
    {
      label = g_strdup_printf ("X%u", s->i + 1);
      s->forged = fcm_probe_sub_new (ctx, label, ctx->topic, NULL);
      url = forge_endpoint (s->a->endpoint, s->i == 1);
      fcm_probe_sub_connect (s->forged, url);
      PT_YIELD (ctx);
      if (s->forged->ws != NULL)
        {
          fcm_probe_wait_frame (s->forged, FCM_PROBE_MATCH_ANY, NULL, fcm_probe_get_window (ctx->probe));
          PT_YIELD (ctx);
        }
      judge_refused_endpoint (ctx, s->forged, "H-10",
                              s->i == 0 ? _("An unknown endpoint id") : _("A real endpoint id with its last character changed"));
    }
  PT_END (ctx);
}

/* --------------------------------------------------------- endpoint-entropy */

typedef struct
{
  GPtrArray *endpoints;
  guint      i;
} EndpointEntropy;

static void
endpoint_entropy_clear (gpointer data)
{
  EndpointEntropy *s = data;

  g_clear_pointer (&s->endpoints, g_ptr_array_unref);
}

/* Bits of randomness in @ids, estimated from the positions that vary and
 * the alphabet seen there. */
static double
estimate_bits (GPtrArray *ids)
{
  gsize prefix = G_MAXSIZE, suffix = G_MAXSIZE, min_len = G_MAXSIZE;
  const char *first = g_ptr_array_index (ids, 0);
  gboolean same_length = TRUE;
  gboolean digits = TRUE, hex = TRUE, alnum = TRUE;
  double per_char;
  guint varying = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gsize len = strlen (id), flen = strlen (first), p = 0, q = 0;

      while (p < len && p < flen && id[p] == first[p])
        p++;
      while (q < len - p && q < flen - p && id[len - 1 - q] == first[flen - 1 - q])
        q++;
      if (i > 0)
        {
          prefix = MIN (prefix, p);
          suffix = MIN (suffix, q);
        }
      same_length = same_length && len == flen;
      min_len = MIN (min_len, len);
    }
  if (prefix == G_MAXSIZE)
    return 0;

  for (gsize pos = prefix; pos + suffix < min_len; pos++)
    {
      gboolean varies = FALSE;

      for (guint i = 0; i < ids->len; i++)
        {
          char c = ((const char *) g_ptr_array_index (ids, i))[pos];

          varies = varies || c != first[pos];
          digits = digits && g_ascii_isdigit (c);
          hex = hex && g_ascii_isxdigit (c);
          alnum = alnum && g_ascii_isalnum (c);
        }
      if (varies || !same_length)
        varying++;
    }
  per_char = digits ? log2 (10) : hex ? 4 : alnum ? log2 (62) : 6;
  return varying * per_char;
}

static void
endpoint_entropy (FcmProbeCtx *ctx)
{
  EndpointEntropy *s = ctx->state;
  g_autofree char *label = NULL;
  FcmProbeSub *sub;
  double bits;

  PT_BEGIN (ctx);
  s->endpoints = g_ptr_array_new ();
  for (s->i = 0; s->i < N_ENTROPY_SAMPLES; s->i++)
    {
      label = g_strdup_printf ("E%u", s->i + 1);
      sub = fcm_probe_sub_new (ctx, label, ctx->topic, NULL);
      fcm_probe_sub_subscribe (sub);
      PT_YIELD (ctx);
      sub = g_ptr_array_index (ctx->subs, ctx->subs->len - 1);
      if (!fcm_probe_sub_take_endpoint (sub))
        {
          fcm_probe_skip (ctx, _("Subscribing failed (see the subscribe scenario)"));
          PT_EXIT (ctx);
        }
      for (guint j = 0; j < s->endpoints->len; j++)
        if (g_str_equal (g_ptr_array_index (s->endpoints, j), sub->endpoint))
          {
            fcm_probe_fail (ctx, "H-02", _("Two subscriptions got the same endpoint"));
            PT_EXIT (ctx);
          }
      g_ptr_array_add (s->endpoints, sub->endpoint);
    }

  bits = estimate_bits (s->endpoints);
  if (bits >= 96)
    fcm_probe_note (ctx, "H-02", _("%u endpoints differ in about %.0f bits: unguessable"),
                    s->endpoints->len, bits);
  else if (bits >= 64)
    fcm_probe_warn (ctx, "H-02", _("%u endpoints differ in only about %.0f bits (128 recommended)"),
                    s->endpoints->len, bits);
  else
    fcm_probe_fail (ctx, "H-02", _("%u endpoints differ in only about %.0f bits: the ids can be guessed, "
                                   "and the endpoint is the only ticket to the session (C-09)"),
                    s->endpoints->len, bits);
  PT_END (ctx);
}

/* -------------------------------------------------------------------- lease */

typedef struct
{
  FcmProbeSub *a, *b;
  gint64       granted;
} Lease;

static void
lease (FcmProbeCtx *ctx)
{
  Lease *s = ctx->state;
  guint asked = fcm_probe_hub_lease (ctx);

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->a->lease = asked;
  s->b = fcm_probe_sub_new (ctx, "B", ctx->topic, NULL);
  s->b->lease = asked;
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  s->granted = confirmed_lease (s->a);
  if (s->granted <= 0)
    {
      fcm_probe_fail (ctx, "H-09", _("The confirmation grants no lease"));
      PT_EXIT (ctx);
    }
  if (s->granted > asked)
    fcm_probe_warn (ctx, "H-09", _("Asked for a lease of %u s, the hub granted %lld s"), asked, (long long) s->granted);
  else
    fcm_probe_note (ctx, "H-09", _("Asked for a lease of %u s, the hub granted %lld s"), asked, (long long) s->granted);
  if (s->granted > 30)
    {
      fcm_probe_skip (ctx, _("The hub granted %lld s; the expiry is not awaited"), (long long) s->granted);
      PT_EXIT (ctx);
    }

  /* H-07: renew B halfway, for a long lease */
  fcm_probe_ctx_sleep (ctx, s->granted / 2.0);
  PT_YIELD (ctx);
  s->b->lease = 300;
  fcm_probe_sub_subscribe (s->b);
  PT_YIELD (ctx);
  fcm_probe_check (ctx, ctx->error == NULL && SOUP_STATUS_IS_SUCCESSFUL (ctx->status), "H-07",
                   _("Renewing B (same topic and endpoint) answered %u"), ctx->status);

  /* H-13: A's lease runs out: unsubscribed, the socket closed */
  fcm_probe_wait_closed (s->a, s->granted / 2.0 + 1.5 + s->granted * 0.2);
  PT_YIELD (ctx);
  if (!fcm_probe_check (ctx, s->a->closed, "H-13",
                        s->a->closed ? _("The hub closed A's socket when its lease of %lld s ran out")
                                     : _("A's socket is still open well after its lease of %lld s"),
                        (long long) s->granted))
    PT_EXIT (ctx);
  if (fcm_probe_sub_find (s->a, FCM_PROBE_MATCH_DENIAL, NULL) != NULL)
    fcm_probe_note (ctx, "H-13", _("A denial came before the close"));
  fcm_probe_check (ctx, !s->b->closed, "H-07",
                   s->b->closed ? _("The renewed subscription B ended with the first lease")
                                : _("The renewed subscription B outlived the first lease"));
  PT_END (ctx);
}

/* -------------------------------------------------------------- unsubscribe */

typedef struct
{
  FcmProbeSub *a, *again;
} Unsubscribe;

static void
unsubscribe (FcmProbeCtx *ctx)
{
  Unsubscribe *s = ctx->state;
  g_autoptr(JsonObject) obj = NULL;
  FcmProbeFrame *frame;

  PT_BEGIN (ctx);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  fcm_probe_sub_open (s->a);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  fcm_probe_sub_unsubscribe (s->a);
  PT_YIELD (ctx);
  if (ctx->error != NULL)
    {
      fcm_probe_fail (ctx, "H-14", _("No answer to the unsubscribe: %s"), ctx->error->message);
      PT_EXIT (ctx);
    }
  fcm_probe_check (ctx, ctx->status == 202, "H-14", _("Unsubscribe answered %u (expected 202)"), ctx->status);
  s->a->unsubscribed = SOUP_STATUS_IS_SUCCESSFUL (ctx->status);
  obj = fcm_probe_ctx_body_object (ctx);
  if (obj == NULL || g_strcmp0 (fcm_json_get_string (obj, "hub.channel.endpoint"), s->a->endpoint) != 0)
    fcm_probe_warn (ctx, "H-14", _("The unsubscribe answer does not carry the endpoint"));

  fcm_probe_wait_frame (s->a, FCM_PROBE_MATCH_DENIAL, NULL, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  frame = fcm_probe_sub_find (s->a, FCM_PROBE_MATCH_DENIAL, NULL);
  if (fcm_probe_check (ctx, frame != NULL, "H-14", frame != NULL ? _("A denial frame confirms the unsubscribe")
                                                                 : _("No denial frame after the unsubscribe")))
    fcm_probe_validate (ctx, _("the denial"), frame->json, FCM_VALIDATOR_ROLE_ANY, TRUE);

  fcm_probe_wait_closed (s->a, fcm_probe_ctx_timeout (ctx));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, s->a->closed, "H-14", s->a->closed ? _("The hub closed the socket (code %u)")
                                                           : _("The socket is still open after the unsubscribe"),
                   s->a->close_code);

  /* C-43 / H-14: the id is retired for good */
  s->again = fcm_probe_sub_new (ctx, "A2", ctx->topic, NULL);
  fcm_probe_sub_connect (s->again, s->a->endpoint);
  PT_YIELD (ctx);
  if (s->again->ws != NULL)
    {
      fcm_probe_wait_frame (s->again, FCM_PROBE_MATCH_ANY, NULL, fcm_probe_get_window (ctx->probe));
      PT_YIELD (ctx);
    }
  judge_refused_endpoint (ctx, s->again, "H-14", _("The retired endpoint"));
  PT_END (ctx);
}

/* ------------------------------------------------------ unsubscribe-invalid */

typedef struct
{
  FcmProbeSub *a, *b;
  guint        i;
} UnsubscribeInvalid;

static const char * const bad_unsubscribes[] = {
  N_("hub.channel.type=webhook"),
  N_("empty hub.topic"),
  N_("without hub.channel.endpoint"),
  N_("empty hub.channel.endpoint"),
  N_("the endpoint of a subscriber of another topic"),
  N_("an endpoint the hub never issued"),
};

static void
unsubscribe_invalid (FcmProbeCtx *ctx)
{
  UnsubscribeInvalid *s = ctx->state;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *other = NULL;
  g_autofree char *what = NULL;

  PT_BEGIN (ctx);
  other = g_strconcat (ctx->topic, "-other", NULL);
  s->a = fcm_probe_sub_new (ctx, "A", ctx->topic, NULL);
  s->b = fcm_probe_sub_new (ctx, "B", other, NULL);
  fcm_probe_hub_open_all (ctx);
  PT_YIELD (ctx);
  if (!fcm_probe_hub_subs_ready (ctx))
    PT_EXIT (ctx);

  for (s->i = 0; s->i < G_N_ELEMENTS (bad_unsubscribes); s->i++)
    {
      form = fcm_probe_sub_form (s->a, "unsubscribe");
      switch (s->i)
        {
        case 0:
          g_hash_table_insert (form, g_strdup ("hub.channel.type"), g_strdup ("webhook"));
          break;
        case 1:
          g_hash_table_insert (form, g_strdup ("hub.topic"), g_strdup (""));
          break;
        case 2:
          g_hash_table_remove (form, "hub.channel.endpoint");
          break;
        case 3:
          g_hash_table_insert (form, g_strdup ("hub.channel.endpoint"), g_strdup (""));
          break;
        case 4:
          g_hash_table_insert (form, g_strdup ("hub.channel.endpoint"), g_strdup (s->b->endpoint));
          break;
        default:
          g_hash_table_insert (form, g_strdup ("hub.channel.endpoint"), forge_endpoint (s->a->endpoint, FALSE));
          break;
        }
      fcm_probe_post_form (ctx, form);
      PT_YIELD (ctx);
      what = g_strdup_printf (_("unsubscribe with %s"), _(bad_unsubscribes[s->i]));
      fcm_probe_hub_expect_4xx (ctx, 400, "H-14", what);
      g_clear_pointer (&what, g_free);
    }

  fcm_probe_ctx_sleep (ctx, fcm_probe_get_window (ctx->probe));
  PT_YIELD (ctx);
  fcm_probe_check (ctx, !s->a->closed && fcm_probe_sub_find (s->a, FCM_PROBE_MATCH_DENIAL, NULL) == NULL, "H-14",
                   _("Subscriber A %s"), !s->a->closed ? _("is still subscribed") : _("was unsubscribed by an invalid request"));
  fcm_probe_check (ctx, !s->b->closed && fcm_probe_sub_find (s->b, FCM_PROBE_MATCH_DENIAL, NULL) == NULL, "H-14",
                   _("Subscriber B (another topic) %s"),
                   !s->b->closed ? _("is still subscribed") : _("was unsubscribed by a request for another topic"));
  PT_END (ctx);
}

/* -------------------------------------------------------------------- table */

#define SCENARIO(fn, type, clear) fn, sizeof (type), clear

const FcmProbeScenario fcm_probe_hub_subscribe_scenarios[] = {
  { { "discovery", N_("Discovery document"), "H-01",
      N_("GET .well-known/fhircast-configuration: 200, JSON, eventsSupported, websocketSupport true") },
    SCENARIO (discovery, int, NULL) },
  { { "subscribe", N_("Subscribe answer"), "H-08,H-04",
      N_("Two valid subscribes: 202 Accepted with a ws(s):// hub.channel.endpoint each, different endpoints") },
    SCENARIO (subscribe, Subscribe, NULL) },
  { { "subscribe-invalid", N_("Invalid subscribe requests"), "H-05,H-08",
      N_("One subscribe per invalid form field (channel type, mode, topic, events, subscriber.name): 400 each") },
    SCENARIO (subscribe_invalid, SubscribeInvalid, NULL) },
  { { "confirmation", N_("Subscription confirmation"), "H-10,H-11",
      N_("The first WebSocket frame is the confirmation with hub.topic, hub.events and hub.lease_seconds") },
    SCENARIO (confirmation, Confirmation, NULL) },
  { { "endpoint-unknown", N_("Unknown and forged endpoint ids"), "H-10,H-02",
      N_("WebSockets to a made-up endpoint id and to a real one with one character changed are refused") },
    SCENARIO (endpoint_unknown, EndpointUnknown, NULL) },
  { { "endpoint-entropy", N_("Endpoint id entropy"), "H-02",
      N_("Eight endpoints are all different and differ in at least 96 bits (64 for a warning)") },
    SCENARIO (endpoint_entropy, EndpointEntropy, endpoint_entropy_clear) },
  { { "lease", N_("Lease expiry and renewal"), "H-09,H-13,H-07",
      N_("A short lease is granted and, when it runs out, ends the subscription and closes the socket; "
         "a subscription renewed halfway lives on") },
    SCENARIO (lease, Lease, NULL) },
  { { "unsubscribe", N_("Unsubscribe"), "H-14,C-43",
      N_("Unsubscribe: 202 with the endpoint, a denial frame, the socket closed, the endpoint dead afterwards") },
    SCENARIO (unsubscribe, Unsubscribe, NULL) },
  { { "unsubscribe-invalid", N_("Invalid unsubscribe requests"), "H-14",
      N_("Unsubscribes with a wrong channel type, an empty topic, no or an empty endpoint, another topic's "
         "endpoint or a made-up one: 400 each, and nobody is unsubscribed") },
    SCENARIO (unsubscribe_invalid, UnsubscribeInvalid, NULL) },
};

const guint fcm_probe_hub_subscribe_n_scenarios = G_N_ELEMENTS (fcm_probe_hub_subscribe_scenarios);
