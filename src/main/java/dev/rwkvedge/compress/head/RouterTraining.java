package dev.rwkvedge.compress.head;

/** A trained router with mean KL(p_cluster || router) on the training and validation samples, before and after. */
public record RouterTraining(Router router, double initialTrainKl, double finalTrainKl, double initialValidationKl,
                             double finalValidationKl, int epochs, int steps) {}
