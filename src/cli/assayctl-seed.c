/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assayctl.h"

int
assayctl_seed (int argc, char **argv, const char *database)
{
  assayctl_error ("'seed' is not available yet");
  return 1;
}
