/* fcm-secret.h: the hub token in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      fcm_secret_store_token_async  (const char          *hub_url,
                                         const char          *token,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  fcm_secret_store_token_finish (GAsyncResult        *result,
                                         GError             **error);

void      fcm_secret_lookup_token_async (const char          *hub_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char     *fcm_secret_lookup_token_finish (GAsyncResult       *result,
                                          GError            **error) G_GNUC_WARN_UNUSED_RESULT;

void      fcm_secret_clear_token_async  (const char          *hub_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  fcm_secret_clear_token_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
