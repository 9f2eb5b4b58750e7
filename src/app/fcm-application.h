/* fcm-application.h: the AdwApplication of the desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

#define FCM_TYPE_APPLICATION (fcm_application_get_type ())

G_DECLARE_FINAL_TYPE (FcmApplication, fcm_application, FCM, APPLICATION, AdwApplication)

FcmApplication *fcm_application_new          (const char        *application_id,
                                              GApplicationFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
GSettings      *fcm_application_get_settings (FcmApplication    *self);
gboolean        fcm_application_get_can_notify (FcmApplication  *self);
void            fcm_application_add_connection (FcmApplication  *self,
                                              FcmConnection     *connection);
void            fcm_application_add_hub       (FcmApplication   *self,
                                              const char        *hub_url,
                                              const char        *topic,
                                              const char        *subscriber_name,
                                              const char        *token);
void            fcm_application_forget_hub    (FcmApplication   *self,
                                              FcmConnection     *connection);

G_END_DECLS
