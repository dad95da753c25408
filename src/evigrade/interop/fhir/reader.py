"""The importer's reader of Citation, Evidence and ArtifactAssessment resources: each into a
study, a claim with its evidence, or reviewer judgments of a claim (docs/fhir.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ...domains import DOMAINS
from ...kinds import ImportRecord, Registry
from ...model import (
    Applicability,
    Claim,
    Effect,
    Events,
    EvidenceLink,
    Heterogeneity,
    IncludedRiskOfBias,
    Judgment,
    RiskOfBias,
    Study,
    Thresholds,
)
from .codes import (
    CERTAINTY_RATING,
    CERTAINTY_TYPE,
    CLAIM_FIELDS,
    CLAIM_ID,
    DESIGN,
    DIRECTION,
    DOMAIN_OF_TYPE,
    PMID,
    PUBLICATION_TYPES,
    RATING_IN,
    RULE_RATER,
    STUDY_FIELDS,
    STUDY_ID,
    VARIABLE_ROLE,
)
from .elements import (
    Bad,
    as_int,
    as_list,
    code_of,
    codings,
    design_of_sevco,
    effect_of,
    extensions_of,
    id_of,
    parts_of,
    reference_key,
    sevco_codes,
    text_of,
    unique,
)

__all__ = [
    "Reader",
]


@attrs.define
class Reader:
    """Reads the resources of one file (a resource or a Bundle) into records."""

    path: str
    registry: Registry
    studies: dict[str, str] = attrs.field(factory=dict)  # "Citation/x" or fullUrl -> study id
    claims: dict[str, str] = attrs.field(factory=dict)  # "Evidence/x" or fullUrl -> claim id

    # Citation -------------------------------------------------------------------------------

    def study_id(self, resource: Mapping[str, Any], where: str) -> str:
        artifact = resource.get("citedArtifact") if isinstance(resource, dict) else None
        identifiers = [*as_list(resource.get("identifier"))]
        if isinstance(artifact, dict):
            identifiers = [*as_list(artifact.get("identifier")), *identifiers]
        for identifier in identifiers:
            if isinstance(identifier, dict) and identifier.get("system") == STUDY_ID:
                value = text_of(identifier.get("value"))
                if value:
                    return id_of(value)
        if text_of(resource.get("id")):
            return id_of(str(resource["id"]))
        for identifier in identifiers:
            if isinstance(identifier, dict) and identifier.get("system") == PMID:
                value = text_of(identifier.get("value"))
                if value:
                    return f"pmid-{id_of(value)}"
        raise Bad("Citation without an id or a PubMed identifier: expected one", where)

    def design(self, artifact: Mapping[str, Any], where: str) -> str:
        designs = self.registry.designs
        sevco: list[str] = []
        publication: list[str] = []
        for entry in as_list(artifact.get("classification")):
            if not isinstance(entry, dict):
                continue
            classifiers = as_list(entry.get("classifier"))
            for concept in classifiers:
                code = code_of(concept, DESIGN)
                if code is not None and code in designs:
                    return code
            sevco.extend(sevco_codes(classifiers))
            if code_of(
                entry.get("type"), "http://hl7.org/fhir/cited-artifact-classification-type"
            ) in (
                "publication-type",
                "knowledge-artifact-type",
            ):
                for concept in classifiers:
                    for coding in codings(concept):
                        publication.append(str(coding.get("display", "")).lower())
                    if text_of(concept.get("text") if isinstance(concept, dict) else None):
                        publication.append(str(concept["text"]).lower())
        if sevco:
            found = design_of_sevco(sevco, designs)
            if found is not None:
                return found
        for name, design in PUBLICATION_TYPES:
            if name in publication and design in designs:
                return design
        raise Bad(
            "cannot tell the study design: expected an evigrade design, SEVCO study-design "
            "codes or MEDLINE publication types in citedArtifact.classification",
            f"{where}/citedArtifact",
        )

    def citation(self, resource: Mapping[str, Any], where: str) -> ImportRecord:
        artifact = resource.get("citedArtifact")
        if not isinstance(artifact, dict):
            raise Bad("Citation without citedArtifact: expected the cited study", where)
        study_id = self.study_id(resource, where)
        fields: dict[str, Any] = {"id": study_id, "design": self.design(artifact, where)}
        titles = [t for t in as_list(artifact.get("title")) if isinstance(t, dict)]
        primary = [
            t
            for t in titles
            if code_of((t.get("type") or [None])[0], "http://hl7.org/fhir/title-type") == "primary"
        ]
        for title in (*primary, *titles):
            if text_of(title.get("text")):
                fields["title"] = text_of(title["text"])
                break
        else:
            if text_of(resource.get("title")):
                fields["title"] = text_of(resource["title"])
        for identifier in as_list(artifact.get("identifier")):
            if not isinstance(identifier, dict) or not text_of(identifier.get("value")):
                continue
            system = str(identifier.get("system", "")).lower()
            value = text_of(identifier["value"])
            if "pubmed" in system and "pmid" not in fields:
                fields["pmid"] = value
            elif "doi.org" in system and "doi" not in fields:
                fields["doi"] = value
            elif "clinicaltrials.gov" in system and "nct" not in fields:
                fields["nct"] = value
        forms = [f for f in as_list(artifact.get("publicationForm")) if isinstance(f, dict)]
        for form in forms:
            published = form.get("publishedIn")
            if isinstance(published, dict) and text_of(published.get("title")):
                fields.setdefault("journal", text_of(published["title"]))
            for key in ("articleDate", "publicationDateText", "lastRevisionDate"):
                match = re.match(r"\d{4}", str(form.get(key) or ""))
                if match and "year" not in fields:
                    fields["year"] = int(match.group())
        for location in as_list(artifact.get("webLocation")):
            if isinstance(location, dict) and text_of(location.get("url")):
                fields["url"] = text_of(location["url"])
                break
        contributors = artifact.get("contributorship")
        if isinstance(contributors, dict):
            authors = []
            for entry in as_list(contributors.get("entry")):
                contributor = entry.get("contributor") if isinstance(entry, dict) else None
                name = (
                    text_of(contributor.get("display")) if isinstance(contributor, dict) else None
                )
                if name:
                    authors.append(name)
            if authors:
                fields["authors"] = tuple(authors)
        extra = extensions_of(resource)
        for name, _kind in STUDY_FIELDS:
            if name in extra:
                fields[name] = extra[name]
        if "risk_of_bias" in extra:
            parts = parts_of(extra["risk_of_bias"])
            fields["risk_of_bias"] = RiskOfBias(
                tool=parts.get("tool", "other"),
                overall=parts.get("overall"),
                domains={d["name"]: d["rating"] for d in parts.get("domain[]", [])},
            )
        if "included_risk_of_bias" in extra:
            fields["included_risk_of_bias"] = IncludedRiskOfBias(
                **parts_of(extra["included_risk_of_bias"])
            )
        return ImportRecord(study=Study(**fields))

    # Evidence -------------------------------------------------------------------------------

    def claim_id(self, resource: Mapping[str, Any], where: str) -> str:
        for identifier in as_list(resource.get("identifier")):
            if isinstance(identifier, dict) and identifier.get("system") == CLAIM_ID:
                value = text_of(identifier.get("value"))
                if value:
                    return id_of(value)
        if text_of(resource.get("id")):
            return id_of(str(resource["id"]))
        raise Bad("resource without an id: expected one to name the claim", where)

    def judgments(
        self, components: Sequence[Any], where: str, *, content: bool = False
    ) -> list[Judgment]:
        """Reviewer judgments of the certainty subcomponents (ArtifactAssessment components
        when ``content``) whose type is a GRADE domain."""
        judgments = []
        for index, component in enumerate(components):
            if not isinstance(component, dict):
                continue
            kind = code_of(component.get("type"), CERTAINTY_TYPE)
            if kind == "Overall":
                nested = component.get("component" if content else "subcomponent")
                judgments.extend(
                    self.judgments(as_list(nested), f"{where}/{index}", content=content)
                )
                continue
            domain = DOMAIN_OF_TYPE.get(kind or "")
            if domain is None:
                continue
            if str(component.get("rater", "")).startswith(RULE_RATER):
                continue  # an evigrade rule's judgment: the rule judges the studies again
            rated = as_list(component.get("classifier")) if content else [component.get("rating")]
            code = next((c for c in (code_of(r, CERTAINTY_RATING) for r in rated) if c), None)
            rating = RATING_IN[domain].get(code or "")
            if rating is None or rating not in DOMAINS[domain].rating_names:
                continue  # no rating of this domain in evigrade: the rules judge it
            reason = self.reason(component, content=content)
            if reason is None and rating != DOMAINS[domain].neutral:
                reason = f"FHIR certainty rating {code} (no reason given)"
            judgments.append(Judgment(domain, rating, reason))
        return judgments

    def reason(self, component: Mapping[str, Any], *, content: bool) -> str | None:
        texts = []
        if content:
            if text_of(component.get("summary")):
                texts.append(str(text_of(component["summary"])))
        else:
            if text_of(component.get("description")):
                texts.append(str(text_of(component["description"])))
            texts.extend(
                str(text_of(n.get("text")))
                for n in as_list(component.get("note"))
                if isinstance(n, dict) and text_of(n.get("text"))
            )
        nested = as_list(component.get("component" if content else "subcomponent"))
        for child in nested:
            if not isinstance(child, dict):
                continue
            concept = child.get("type")
            label = text_of(concept.get("text")) if isinstance(concept, dict) else None
            label = label or next(
                (str(c["display"]) for c in codings(concept) if text_of(c.get("display"))), None
            )
            rated = as_list(child.get("classifier")) if content else [child.get("rating")]
            value = next(
                (str(c["display"]) for r in rated for c in codings(r) if text_of(c.get("display"))),
                None,
            )
            why = self.reason(child, content=content)
            head = f"{label or 'component'}" + (f" ({value})" if value else "")
            texts.append(f"{head}: {why}" if why else head)
        return "; ".join(texts) or None

    def evidence(self, resource: Mapping[str, Any], where: str) -> ImportRecord:
        claim_id = self.claim_id(resource, where)
        text = next(
            (
                text_of(resource.get(key))
                for key in ("assertion", "title", "description", "name")
                if text_of(resource.get(key))
            ),
            None,
        )
        if text is None:
            raise Bad("Evidence without assertion, title or description: expected the claim", where)
        fields: dict[str, Any] = {"id": claim_id, "text": text}
        exposures = []
        for variable in as_list(resource.get("variableDefinition")):
            if not isinstance(variable, dict):
                continue
            role = code_of(variable.get("variableRole"), VARIABLE_ROLE)
            for ext in as_list(variable.get("extension")):
                if isinstance(ext, dict) and str(ext.get("url", "")).endswith("variable-role-code"):
                    role = ext.get("valueCode", role)
            words = text_of(variable.get("description"))
            for ref in ("observed", "intended"):
                if words is None and isinstance(variable.get(ref), dict):
                    words = text_of(variable[ref].get("display"))
            if words is None:
                continue
            if role == "population":
                fields.setdefault("population", words)
            elif role == "exposure":
                exposures.append(words)
            elif role == "referenceExposure":
                fields.setdefault("comparator", words)
            elif role in ("measuredVariable", "outcome"):
                fields.setdefault("outcome", words)
        if exposures:
            fields["intervention"] = exposures[0]
            if len(exposures) > 1:
                fields.setdefault("comparator", exposures[1])
        extra = extensions_of(resource)
        for name, _kind in CLAIM_FIELDS:
            if name in extra:
                fields[name] = extra[name]
        if "thresholds" in extra:
            fields["thresholds"] = Thresholds(**parts_of(extra["thresholds"]))
        judgments: list[Judgment] = []
        overall: str | None = None
        for index, certainty in enumerate(as_list(resource.get("certainty"))):
            if not isinstance(certainty, dict):
                continue
            if code_of(certainty.get("type"), CERTAINTY_TYPE) == "Overall":
                overall = overall or code_of(certainty.get("rating"), CERTAINTY_RATING)
            judgments.extend(self.judgments([certainty], f"{where}/certainty/{index}"))
        fields["judgments"] = unique(judgments)
        own = any(
            isinstance(i, dict) and i.get("system") == CLAIM_ID
            for i in as_list(resource.get("identifier"))
        )
        if overall is not None and not own:
            fields["extensions"] = {"x-fhir-certainty": overall}
        links: list[EvidenceLink] = []
        for index, artifact in enumerate(as_list(resource.get("relatedArtifact"))):
            link = self.link(artifact, f"{where}/relatedArtifact/{index}")
            if link is not None and all(link.study != other.study for other in links):
                links.append(link)
        body: Study | None = None
        if not links:
            made = self.body(resource, claim_id)
            if made is not None:
                body, link = made
                links.append(link)
        return ImportRecord(study=body, claims=(Claim(evidence=tuple(links), **fields),))

    def link(self, artifact: Any, where: str) -> EvidenceLink | None:
        if not isinstance(artifact, dict) or artifact.get("type") == "cite-as":
            return None
        reference = artifact.get("resourceReference")
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            return None
        # Only Citations of the same file: a study evigrade cannot see has no design.
        study = self.studies.get(target) or self.studies.get(reference_key(target) or "")
        if study is None:
            return None
        direction = "supports"
        for concept in as_list(artifact.get("classifier")):
            code = code_of(concept, DIRECTION)
            if code in ("supports", "contradicts", "inconclusive", "mixed"):
                direction = code
        extra = extensions_of(artifact)
        fields: dict[str, Any] = {"study": study, "direction": direction}
        if "link_n" in extra:
            fields["n"] = extra["link_n"]
        if "dose_response" in extra:
            fields["dose_response"] = extra["dose_response"]
        if "quote" in extra:
            fields["quote"] = extra["quote"]
        for name in ("addresses", "cited_by_source", "included_studies"):
            if name in extra:
                fields[name] = extra[name]
        if "included_risk_of_bias" in extra:
            fields["included_risk_of_bias"] = IncludedRiskOfBias(
                **parts_of(extra["included_risk_of_bias"])
            )
        if "effect" in extra:
            parts = parts_of(extra["effect"])
            spread = parts.pop("heterogeneity[]", None)
            if spread:
                parts["heterogeneity"] = Heterogeneity(**spread[0])
            fields["effect"] = Effect(**parts)
        if "events" in extra:
            fields["events"] = Events(**parts_of(extra["events"]))
        if "applicability" in extra:
            fields["applicability"] = Applicability(**parts_of(extra["applicability"]))
        return EvidenceLink(**fields)

    def body(self, resource: Mapping[str, Any], claim_id: str) -> tuple[Study, EvidenceLink] | None:
        """The Evidence's body of evidence as one study, when it cites no Citation resource
        (``None`` when its studyDesign names no design evigrade knows)."""
        codes = sevco_codes(as_list(resource.get("studyDesign")))
        design = design_of_sevco(codes, self.registry.designs) if codes else None
        if design is None:
            return None
        statistics = [s for s in as_list(resource.get("statistic")) if isinstance(s, dict)]
        studies = participants = 0
        synthesis = resource.get("synthesisType") is not None
        for statistic in statistics:
            size = statistic.get("sampleSize")
            if isinstance(size, dict):
                studies = max(studies, as_int(size.get("numberOfStudies")))
                participants = max(participants, as_int(size.get("numberOfParticipants")))
            for model in as_list(statistic.get("modelCharacteristic")):
                if (
                    isinstance(model, dict)
                    and code_of(model.get("code"), "http://hl7.org/fhir/statistic-model-code")
                    == "metaAnalysis"
                ):
                    synthesis = True
        fields: dict[str, Any] = {"id": f"evidence-{claim_id}", "design": design}
        if synthesis or studies > 1:
            fields = {**fields, "design": "meta-analysis", "of": design}
        fields["n"] = participants or None
        if not self.registry.designs[fields["design"]].needs_participants:
            fields.pop("n")
        if text_of(resource.get("title")):
            fields["title"] = text_of(resource["title"])
        link: dict[str, Any] = {"study": fields["id"], "direction": "supports"}
        effect = effect_of(statistics)
        if effect is not None:
            link["effect"] = effect
        return Study(**fields), EvidenceLink(**link)

    # ArtifactAssessment ---------------------------------------------------------------------

    def assessment(self, resource: Mapping[str, Any], where: str) -> ImportRecord | None:
        contents = [c for c in as_list(resource.get("content")) if isinstance(c, dict)]
        rated = [c for c in contents if code_of(c.get("type"), CERTAINTY_TYPE) is not None]
        if not rated:
            return None  # a classification, comment or risk-of-bias assessment: nothing to grade
        reference = resource.get("artifactReference")
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            target = resource.get("artifactCanonical") or resource.get("artifactUri")
        key = reference_key(target)
        if key is None or not key.startswith("Evidence/"):
            raise Bad(
                f"certainty rating of {target or 'nothing'}: expected an artifactReference to "
                "the Evidence it rates",
                f"{where}/artifactReference",
            )
        claim_id = self.claims.get(str(target)) or self.claims.get(key) or id_of(key[9:])
        judgments = self.judgments(rated, f"{where}/content", content=True)
        display = reference.get("display") if isinstance(reference, dict) else None
        text = text_of(display) or text_of(resource.get("title")) or claim_id
        extensions: dict[str, Any] = {}
        for content in rated:
            if code_of(content.get("type"), CERTAINTY_TYPE) == "Overall":
                code = next(
                    (code_of(c, CERTAINTY_RATING) for c in as_list(content.get("classifier"))), None
                )
                if code:
                    extensions["x-fhir-certainty"] = code
        claim = Claim(id=claim_id, text=text, judgments=unique(judgments), extensions=extensions)
        return ImportRecord(claims=(claim,))
