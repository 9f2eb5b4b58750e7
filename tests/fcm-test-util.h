/* fcm-test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

char      *fcm_test_load_text     (const char *first_path,
                                   ...) G_GNUC_NULL_TERMINATED;
JsonNode  *fcm_test_load_json     (const char *first_path,
                                   ...) G_GNUC_NULL_TERMINATED;
GPtrArray *fcm_test_list_data     (const char *subdir,
                                   const char *suffix);

/* Spin the default main context until EXPR is true or 10 s pass (times
 * fcm_test_timeout_scale ()). */
gboolean   fcm_test_wakeup        (gpointer    data);
GTlsCertificate *fcm_test_make_certificate (const char  *prefix,
                                            char       **out_dir,
                                            char       **out_pem,
                                            char       **out_key);

guint      fcm_test_send          (SoupSession *session,
                                   SoupMessage *msg,
                                   char       **out_body);
guint      fcm_test_http          (SoupSession *session,
                                   const char  *method,
                                   const char  *url,
                                   const char  *content_type,
                                   const char  *body,
                                   gssize       body_length,
                                   const char  *authorization,
                                   char       **out_body);

/* Raw HTTP over a loopback TCP socket, for what a well-behaved client
 * never does (half a request, a huge body, a connection left open). The
 * main context is iterated while waiting, so an in-process hub runs. */
GSocket   *fcm_test_raw_connect   (const char  *url);
gboolean   fcm_test_raw_send      (GSocket     *socket,
                                   const void  *data,
                                   gsize        length);
guint      fcm_test_raw_read_answer (GSocket   *socket,
                                   char       **out_body);
gboolean   fcm_test_raw_wait_closed (GSocket   *socket);

guint      fcm_test_count_fds     (void);
gsize      fcm_test_rss_kib       (void);

/* How much longer than usual a test may wait: FCM_TEST_TIMEOUT_SCALE, set
 * by the slow test setups (valgrind, asan) in tests/meson.build. */
double     fcm_test_timeout_scale (void);
/* Another application on a hub: subscribed by hand (STU3 form, WebSocket
 * channel), every event acknowledged with 200. */
typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GPtrArray               *events;     /* hub.event of each event received */
  gboolean                 confirmed;  /* the hub's subscription confirmation came */
  gboolean                 closed;
  gushort                  close_code;
  gint64                   closed_at;  /* monotonic time of the close */
} FcmTestSubscriber;

FcmTestSubscriber *fcm_test_subscriber_new  (const char        *hub_url,
                                             const char        *topic,
                                             const char        *name,
                                             const char        *events);
void               fcm_test_subscriber_free (FcmTestSubscriber *sub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmTestSubscriber, fcm_test_subscriber_free)

#define FCM_TEST_WAIT_UNTIL(expr)                                          \
  G_STMT_START {                                                           \
    gint64 _deadline = g_get_monotonic_time ()                             \
                       + (gint64) (10 * G_USEC_PER_SEC                     \
                                   * fcm_test_timeout_scale ());          \
    guint _wake = g_timeout_add (20, fcm_test_wakeup, NULL);               \
    while (!(expr))                                                        \
      {                                                                    \
        if (g_get_monotonic_time () > _deadline)                           \
          g_error ("timed out waiting for: %s", #expr);                    \
        g_main_context_iteration (NULL, TRUE);                             \
      }                                                                    \
    g_source_remove (_wake);                                               \
  } G_STMT_END

G_END_DECLS
