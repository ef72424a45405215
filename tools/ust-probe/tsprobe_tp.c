/* Instantiates the tsprobe tracepoint provider. SPDX-License-Identifier: Apache-2.0 */
#define TRACEPOINT_CREATE_PROBES
#define TRACEPOINT_DEFINE
#include "tsprobe_tp.h"
