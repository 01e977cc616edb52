/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assayctl.h"

int
assayctl_import (int argc, char **argv, const char *database)
{
  assayctl_error ("'import' is not available yet");
  return 1;
}
