/* fcm-probe-hub-private.h: the hub probe's scenario files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-hub-probe.h"
#include "fcm-probe-private.h"

G_BEGIN_DECLS

/* Scenario tables, in run order, one per file. */
extern const FcmProbeScenario fcm_probe_hub_subscribe_scenarios[];
extern const guint            fcm_probe_hub_subscribe_n_scenarios;
extern const FcmProbeScenario fcm_probe_hub_context_scenarios[];
extern const guint            fcm_probe_hub_context_n_scenarios;
extern const FcmProbeScenario fcm_probe_hub_current_scenarios[];
extern const guint            fcm_probe_hub_current_n_scenarios;
extern const FcmProbeScenario fcm_probe_hub_acks_scenarios[];
extern const guint            fcm_probe_hub_acks_n_scenarios;

/* The ids of one report context a scenario opens. */
typedef struct
{
  char *report;
  char *patient;
  char *study;
  char *observation;
} FcmProbeIds;

/* Helpers shared by the scenario files (fcm-probe-hub-util.c). */
void           fcm_probe_hub_ids_init          (FcmProbeIds          *ids);
void           fcm_probe_hub_ids_clear         (FcmProbeIds          *ids);
void           fcm_probe_hub_post_open         (FcmProbeCtx  *ctx,
                                                FcmProbeIds          *ids,
                                                char        **out_id);
void           fcm_probe_hub_post_close        (FcmProbeCtx  *ctx,
                                                FcmProbeIds          *ids,
                                                char        **out_id);
void           fcm_probe_hub_post_update       (FcmProbeCtx  *ctx,
                                                FcmProbeIds          *ids,
                                                const char   *version,
                                                char        **out_id);
FcmProbeFrame *fcm_probe_hub_take_notification (FcmProbeCtx  *ctx,
                                                FcmProbeSub  *sub,
                                                const char   *id,
                                                const char   *event_name);
char     *fcm_probe_hub_topic_url     (FcmProbeCtx *ctx,
                                       const char  *topic) G_GNUC_WARN_UNUSED_RESULT;
void      fcm_probe_hub_post_event    (FcmProbeCtx *ctx,
                                       const char  *event_name,
                                       JsonArray   *context,
                                       const char  *version_id,
                                       char       **out_id);
void      fcm_probe_hub_post_raw      (FcmProbeCtx *ctx,
                                       const char  *body,
                                       gssize       len);
void      fcm_probe_hub_remember_open (FcmProbeCtx *ctx,
                                       const char  *report,
                                       const char  *patient,
                                       const char  *study);
void      fcm_probe_hub_forget_open   (FcmProbeCtx *ctx,
                                       const char  *report);
void      fcm_probe_hub_add_stray     (FcmProbeCtx *ctx,
                                       const char  *topic);
void      fcm_probe_hub_open_all      (FcmProbeCtx *ctx);
gboolean  fcm_probe_hub_subs_ready    (FcmProbeCtx *ctx);
gboolean  fcm_probe_hub_accepted      (FcmProbeCtx *ctx,
                                       const char  *rule,
                                       const char  *what);
void      fcm_probe_hub_expect_4xx    (FcmProbeCtx *ctx,
                                       guint        wanted,
                                       const char  *rule,
                                       const char  *what);
guint     fcm_probe_hub_lease         (FcmProbeCtx *ctx);
double    fcm_probe_hub_ack_wait      (FcmProbeCtx *ctx);
gboolean  fcm_probe_hub_fixed_topic   (FcmProbeCtx *ctx);
char     *fcm_probe_hub_event_string  (FcmProbeFrame *frame,
                                       const char    *member) G_GNUC_WARN_UNUSED_RESULT;
void      fcm_probe_hub_wait_subs     (FcmProbeCtx   *ctx,
                                       FcmProbeSub  **subs,
                                       guint          n_subs,
                                       FcmProbeMatch  match,
                                       const char    *arg,
                                       double         seconds);

G_END_DECLS
