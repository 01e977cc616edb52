/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assayctl.h"

int
assayctl_export (int argc, char **argv, const char *database)
{
  assayctl_error ("'export' is not available yet");
  return 1;
}
