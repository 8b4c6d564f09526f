package dev.rwkvedge.studio.views;

import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.ModelSession;

/** What every view gets: the shared model session and the background-job service. */
public record StudioContext(ModelSession session, JobRunner jobs) {}
