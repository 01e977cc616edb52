/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assayctl.h"

int
assayctl_score (int argc, char **argv, const char *database)
{
  assayctl_error ("'score' is not available yet");
  return 1;
}
