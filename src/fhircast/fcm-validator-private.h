/* fcm-validator-private.h: what the files of FcmValidator share
 *
 * FcmValidator is split by the kind of message it checks:
 *
 *   fcm-validator.c               the object, classification, dispatch by kind
 *   fcm-validator-util.c          the shared reader: issues, paths, typed getters
 *   fcm-validator-event.c         every event's envelope and context[] items
 *   fcm-validator-context.c       DiagnosticReport-open and -close
 *   fcm-validator-content.c       DiagnosticReport-update and -select
 *   fcm-validator-syncerror.c     syncerror
 *   fcm-validator-subscription.c  subscribe forms, hub frames, acks
 *   fcm-validator-current.c       Get Current Context answers
 *   fcm-validator-configuration.c .well-known/fhircast-configuration
 *   fcm-validator-legacy.c        the 2019 prototype and heartbeat
 *
 * Every rule function takes the FcmCheck it adds its issues to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-doc.h"
#include "fcm-validator.h"

G_BEGIN_DECLS

#define ERROR   FCM_SEVERITY_ERROR
#define WARNING FCM_SEVERITY_WARNING
#define INFO    FCM_SEVERITY_INFO

/* The issues of one message being validated. */
typedef struct
{
  FcmValidatorRole  role;
  GPtrArray        *issues;
  guint             n_dropped;
  FcmSeverity       dropped_severity;
  char             *dropped_rule;
} FcmCheck;

/* An event message being validated, as read by fcm_validate_event_message(). */
typedef struct
{
  const char    *name;           /* hub.event as sent, or NULL */
  const char    *canonical;      /* its STU3 spelling */
  const FcmJson *event;
  const FcmJson *context;        /* NULL when absent or not an array */
  char          *ev_path;
  char          *ctx_path;
  const char    *version_id;
  const char    *prior_version_id;
  gboolean       has_version;
  gboolean       has_prior_version;
  gboolean       notification;   /* a hub notification rather than a request */
} FcmEventInfo;

/* Where fcm_next_item() is in a context array: the item it returned last
 * and that item's position. Start from FCM_ITEM_ITER_INIT. */
typedef struct
{
  const FcmJson *item;
  guint          index;
  gboolean       started;
} FcmItemIter;

#define FCM_ITEM_ITER_INIT { NULL, 0, FALSE }

/* fcm-validator-util.c: issue collection */
void         fcm_check_init             (FcmCheck          *c,
                                         FcmValidatorRole   role);
GPtrArray   *fcm_check_finish           (FcmCheck          *c);
void         fcm_check_add              (FcmCheck          *c,
                                         FcmSeverity        severity,
                                         const char        *rule,
                                         const char        *path,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (5, 6);

/* A quoted value in a message: use with a "%.*s%s" conversion. It shows at
 * most 60 characters, and "…" when the value is longer. */
#define SHOW(s) fcm_show_len (s), ((s) != NULL ? (s) : ""), fcm_show_more (s)

int          fcm_show_len               (const char        *s);
const char  *fcm_show_more              (const char        *s);

/* fcm-validator-util.c: JSON paths and nodes */
char        *fcm_path_member            (const char        *base,
                                         const char        *name);
char        *fcm_path_index             (const char        *base,
                                         guint              index_);
const FcmJson *fcm_as_object            (const FcmJson     *node);
const FcmJson *fcm_as_array             (const FcmJson     *node);
const FcmJson *fcm_get_member           (const FcmJson     *object,
                                         const char        *name);

/* fcm-validator-util.c: typed member getters that report a wrong type */
const char  *fcm_check_read_string      (FcmCheck          *c,
                                         const FcmJson     *object,
                                         const char        *base,
                                         const char        *name,
                                         const char        *rule,
                                         gboolean          *out_present);
const char  *fcm_check_require_string   (FcmCheck          *c,
                                         const FcmJson     *object,
                                         const char        *base,
                                         const char        *name,
                                         const char        *rule,
                                         FcmSeverity        severity,
                                         const char        *why);
const FcmJson *fcm_check_read_object    (FcmCheck          *c,
                                         const FcmJson     *object,
                                         const char        *base,
                                         const char        *name,
                                         const char        *rule);
const FcmJson *fcm_check_read_array     (FcmCheck          *c,
                                         const FcmJson     *object,
                                         const char        *base,
                                         const char        *name,
                                         const char        *rule);

/* fcm-validator-util.c: values several message kinds share */
void         fcm_check_timestamp        (FcmCheck          *c,
                                         const char        *value,
                                         const char        *path,
                                         const char        *rule);
gboolean     fcm_parse_positive         (const char        *text,
                                         guint64           *out_value);
gint64       fcm_status_code_from_node  (const FcmJson     *node,
                                         gboolean          *out_is_string);
gboolean     fcm_is_blank               (const char        *s);

/* fcm-validator-util.c: context items and references */
gboolean     fcm_key_matches            (const char        *key,
                                         const char        *wanted);
const FcmJson *fcm_find_item            (const FcmJson     *context,
                                         const char        *key,
                                         guint             *out_index);
const FcmJson *fcm_next_item            (const FcmJson     *context,
                                         const char        *key,
                                         FcmItemIter       *iter);
void         fcm_check_reference_object (FcmCheck          *c,
                                         const FcmJson     *reference,
                                         const char        *path,
                                         const char        *rule);
char        *fcm_check_report_item_id   (FcmCheck          *c,
                                         const FcmJson     *item,
                                         const char        *item_path,
                                         const char        *rule);

/* The rules, by the file that holds them. Each adds its issues to @c. */

/* fcm-validator-event.c */
void         fcm_validate_event_message (FcmCheck          *c,
                                         const FcmJson     *message,
                                         const char        *base);
void         fcm_check_context_array    (FcmCheck          *c,
                                         const FcmJson     *context,
                                         const char        *path);

/* fcm-validator-context.c */
void         fcm_check_dr_open          (FcmCheck          *c,
                                         FcmEventInfo      *ev);
void         fcm_check_dr_close         (FcmCheck          *c,
                                         FcmEventInfo      *ev);

/* fcm-validator-content.c */
typedef void (*FcmBundleEntryFunc)      (FcmCheck          *c,
                                         const FcmJson     *entry,
                                         const char        *entry_path,
                                         gpointer           user_data);

void         fcm_check_dr_update        (FcmCheck          *c,
                                         FcmEventInfo      *ev);
void         fcm_check_dr_select        (FcmCheck          *c,
                                         FcmEventInfo      *ev);
const FcmJson *fcm_check_bundle         (FcmCheck          *c,
                                         const FcmJson     *bundle,
                                         const char        *path,
                                         const char        *key,
                                         const char        *bundle_type,
                                         const char        *rule,
                                         FcmBundleEntryFunc check_entry,
                                         gpointer           user_data);

/* fcm-validator-syncerror.c */
void         fcm_check_syncerror        (FcmCheck          *c,
                                         FcmEventInfo      *ev);

/* fcm-validator-subscription.c */
void         fcm_validate_confirmation  (FcmCheck          *c,
                                         const FcmJson     *root,
                                         gboolean           denial);
void         fcm_validate_subscription_request
                                        (FcmCheck          *c,
                                         const FcmJson     *root);
void         fcm_validate_subscription_response
                                        (FcmCheck          *c,
                                         const FcmJson     *root);
void         fcm_check_form             (FcmCheck          *c,
                                         GHashTable        *form,
                                         const char        *base);
void         fcm_validate_ack           (FcmCheck          *c,
                                         const FcmJson     *root);

/* fcm-validator-current.c */
void         fcm_validate_current_context
                                        (FcmCheck          *c,
                                         const FcmJson     *root);

/* fcm-validator-configuration.c */
void         fcm_validate_configuration (FcmCheck          *c,
                                         const FcmJson     *root);

/* fcm-validator-legacy.c */
void         fcm_validate_legacy_event  (FcmCheck          *c,
                                         const FcmJson     *root);
void         fcm_validate_legacy_status (FcmCheck          *c,
                                         const FcmJson     *root);
void         fcm_validate_gettopic      (FcmCheck          *c,
                                         const FcmJson     *root);
void         fcm_check_heartbeat        (FcmCheck          *c,
                                         FcmEventInfo      *ev);

G_END_DECLS
