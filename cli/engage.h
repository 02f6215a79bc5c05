/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engagement step that follows a preflight, shared by ksctl engage and
 * ksctl mitigate so that both refuse, confirm and write in the same way.
 */
#ifndef KSCTL_ENGAGE_H
#define KSCTL_ENGAGE_H

#include <stdbool.h>

#include "output.h"
#include "preflight.h"
#include "util.h"

/*
 * Engage @pf->target with @pf->retval and the control options @options
 * (key=value words such as "scope=userns", or NULL), unless the preflight
 * refused it or @dry_run is set. Without @yes it prompts on the terminal.
 * Returns an exit code from enum ksctl_exit.
 */
int engage_after_preflight(const struct ksctl_env *env, struct output *out,
			   const struct preflight *pf, const char *options, bool dry_run, bool yes);

#endif /* KSCTL_ENGAGE_H */
