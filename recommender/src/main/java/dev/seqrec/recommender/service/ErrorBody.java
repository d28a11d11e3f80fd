package dev.seqrec.recommender.service;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Every error answer's JSON body.
 *
 * @param status  HTTP status code
 * @param error   its reason phrase
 * @param message what was wrong, naming the offending parameter where there is one
 */
@Serdeable
public record ErrorBody(int status, String error, String message) {
}
