/* fcm-ws-internal.h: what the two files of FcmWsConn share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FcmWsConn (the API the hub uses is in fcm-ws-private.h) is two files:
 *
 *   fcm-ws.c       the object: encoding frames, writing them (one writev()
 *                  per main-loop turn, under backpressure), the close
 *                  handshake and its timeout
 *   fcm-ws-read.c  reading: parsing and unmasking the client's frames in
 *                  the read buffer, putting messages together, answering
 *                  pings and close frames, failing on protocol errors
 *
 * Functions shared between them have an _fcm_ws_ prefix.
 */

#pragma once

#include "fcm-ws-private.h"

G_BEGIN_DECLS

#define READ_CHUNK          16384
#define CLOSE_TIMEOUT_S     5
#define MAX_CONTROL_PAYLOAD 125

enum {
  OP_CONTINUATION = 0x0,
  OP_TEXT         = 0x1,
  OP_BINARY       = 0x2,
  OP_CLOSE        = 0x8,
  OP_PING         = 0x9,
  OP_PONG         = 0xA,
};

struct _FcmWsConn
{
  GObject                parent_instance;

  GIOStream             *stream;
  GPollableInputStream  *input;
  GPollableOutputStream *output;
  GSource               *input_source;
  GSource               *output_source;
  GSource               *flush_source;    /* a write is due at the next main-loop turn */
  guint                  close_timeout_id;

  FcmWsState             state;
  gsize                  max_message_size;

  /* reading: received bytes not yet parsed into frames */
  guint8                *rbuf;
  gsize                  rlen;
  gsize                  rsize;
  GByteArray            *message;         /* a fragmented message being put together */
  guint8                 message_opcode;  /* its opcode, 0 = none */

  /* writing */
  GQueue                 out;             /* Chunk */
  gsize                  queued;

  gboolean               close_sent;
  gboolean               close_received;  /* or reading stopped after a protocol error */
  gboolean               terminating;
  gushort                close_code;
  char                  *close_reason;

  FcmWsMessageFunc       message_func;
  FcmWsClosedFunc        closed_func;
  gpointer               user_data;
};

/* fcm-ws.c */
GBytes   *_fcm_ws_frame_new        (guint8       opcode,
                                    const void  *payload,
                                    gsize        size);
void      _fcm_ws_send_bytes       (FcmWsConn   *self,
                                    GBytes      *frame);
void      _fcm_ws_send_close       (FcmWsConn   *self,
                                    gushort      code,
                                    const char  *reason);
void      _fcm_ws_terminate        (FcmWsConn   *self);
void      _fcm_ws_source_clear     (GSource    **source);
gboolean  _fcm_ws_close_timeout_cb (gpointer     user_data);

/* fcm-ws-read.c */
gboolean  _fcm_ws_input_ready_cb   (GObject     *stream,
                                    gpointer     user_data);

G_END_DECLS
