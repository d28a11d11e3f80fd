package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommendation;
import dev.seqrec.recommender.model.ModelCard;
import dev.seqrec.recommender.model.ScoredItem;
import io.micronaut.serde.annotation.SerdeImport;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** JSON for the embeddable API's types (which know nothing of Micronaut), and the OpenAPI document's title. */
@SerdeImport(Recommendation.class)
@SerdeImport(ScoredItem.class)
@SerdeImport(ModelCard.class)
@OpenAPIDefinition(info = @Info(title = "seqrec", version = "1",
        description = "Real-time next-item recommendations from each user's live sequence"))
final class ServiceSerde {
    private ServiceSerde() {
    }
}
