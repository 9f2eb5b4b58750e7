/* fcm-gtk-test-util.c: widget lookups and set-up shared by the gtk test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"

/* GTK 4.8 warns "Trying to snapshot <widget> without a current allocation"
 * when a widget is snapshotted in the frame between being shown and being
 * allocated (its own GtkGizmo of a closing popover, a button appearing in a
 * row): it draws nothing for that one frame. Under a loaded machine it comes
 * and goes with timing, so it is let through; every other warning of GTK and
 * of ours stays fatal. */
static gboolean
is_tolerated (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message)
{
  return (log_level & G_LOG_LEVEL_WARNING) != 0 &&
         g_strcmp0 (log_domain, "Gtk") == 0 &&
         message != NULL &&
         g_str_has_prefix (message, "Trying to snapshot ") &&
         g_str_has_suffix (message, " without a current allocation");
}

static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !is_tolerated (log_domain, log_level, message);
}

/* GTK logs through g_log_structured(), where the fatal handler above is never
 * asked (GLib 2.74: the default writer aborts on a warning in a test), so the
 * tolerated warning is written here without going through it */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      char **value = NULL;

      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        value = &domain;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        value = &message;
      if (value != NULL && *value == NULL && fields[i].value != NULL)
        *value = fields[i].length < 0 ? g_strdup (fields[i].value)
                                      : g_strndup (fields[i].value, (gsize) fields[i].length);
    }
  if (is_tolerated (domain, log_level, message))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * fcm_gtk_test_set_fatal_handler:
 *
 * After g_test_init(): every warning stays fatal but GTK 4.8's
 * allocation-less snapshot warning (see is_tolerated()), whether it comes
 * through g_log() or g_log_structured().
 */
void
fcm_gtk_test_set_fatal_handler (void)
{
  static gsize writer_set;

  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  if (g_once_init_enter (&writer_set))
    {
      g_log_set_writer_func (log_writer_cb, NULL, NULL);
      g_once_init_leave (&writer_set, 1);
    }
}

/**
 * fcm_gtk_test_init:
 * @program: the test's name, for the message when it skips
 *
 * g_test_init(), then what gtk_test_init() does, except that no display
 * means SKIP: returns %FALSE then, and the test exits with 77.
 */
gboolean
fcm_gtk_test_init (int          *argc,
                   char       ***argv,
                   const char   *program)
{
  g_test_init (argc, argv, NULL);
  fcm_gtk_test_set_fatal_handler ();

  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  /* GTK's in-process accessibility backend: accessible properties can be
   * checked, and no AT-SPI bus is needed (without a session bus the AT-SPI
   * backend warns, and warnings are fatal). */
  g_setenv ("GTK_A11Y", "test", FALSE);

  if (!gtk_init_check ())
    {
      g_printerr ("%s: no display, skipping\n", program);
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

static void
run_tests_cb (GApplication *application,
              int          *status)
{
  /* Instead of the application's own activate, which opens a window. */
  g_signal_stop_emission_by_name (application, "activate");

  *status = g_test_run ();
}

/**
 * fcm_gtk_test_run_in_application:
 *
 * Runs the tests added so far inside @application's "activate", so that
 * its startup and shutdown happen as in the app; with no window left
 * afterwards, the application ends.
 *
 * Returns: what g_test_run() returned
 */
int
fcm_gtk_test_run_in_application (GApplication *application)
{
  int status = 1;

  g_signal_connect (application, "activate", G_CALLBACK (run_tests_cb), &status);
  g_assert_cmpint (g_application_run (application, 0, NULL), ==, 0);
  return status;
}

/**
 * fcm_test_find_widget_matching:
 *
 * Returns: (transfer none) (nullable): the first widget below @root, @root
 *   included and depth first, for which @match returns %TRUE
 */
GtkWidget *
fcm_test_find_widget_matching (GtkWidget          *root,
                               FcmTestWidgetMatch  match,
                               gconstpointer       data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fcm_test_find_widget_matching (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_type (GtkWidget     *widget,
          gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
fcm_test_find_widget (GtkWidget *root,
                      GType      type)
{
  return fcm_test_find_widget_matching (root, has_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkWidget *
fcm_test_find_action_button (GtkWidget  *root,
                             const char *action_name)
{
  return fcm_test_find_widget_matching (root, is_action_button, action_name);
}

static gboolean
is_entry_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

GtkWidget *
fcm_test_find_entry_row (GtkWidget  *root,
                         const char *title)
{
  return fcm_test_find_widget_matching (root, is_entry_row, title);
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

/**
 * fcm_test_find_widget_named:
 *
 * Returns: (transfer none) (nullable): the first widget below @root (depth
 *   first, @root included) whose name (a template's id) is @name
 */
GtkWidget *
fcm_test_find_widget_named (GtkWidget  *root,
                            const char *name)
{
  return fcm_test_find_widget_matching (root, has_name, name);
}

/**
 * fcm_test_wait_frames:
 * @widget: a widget in a shown window
 *
 * Waits for @n frames of @widget's window, one at a time (a quiet window
 * draws only when asked, so each is asked for).
 */
void
fcm_test_wait_frames (GtkWidget *widget,
                      guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));

  for (guint i = 0; i < n; i++)
    {
      gint64 target = gdk_frame_clock_get_frame_counter (clock) + 1;

      gtk_widget_queue_draw (root);
      FCM_TEST_WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) >= target);
    }
}
