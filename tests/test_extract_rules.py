"""One test per rule family of the extractor, each on a sentence written for the test (not from the corpus)."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.extract import get_extractor
from mercato.extract.components import _needs_parse, mentions, resolve, segment
from mercato.extract.doc import ArticleDoc
from mercato.kb import get_kb
from mercato.records import ArticleRecord, ClaimRecord

DAY = dt.date(2024, 6, 1)


def run(text: str, outlet: str | None = "Example Gazette", author: str | None = None) -> list[ClaimRecord]:
    return get_extractor("rules")(ArticleRecord(date=DAY, text=text, outlet=outlet, author=author))


def find(claims: list[ClaimRecord], club: str, person: str, journalist: str | None = "*",
         outlet: str | None = "*") -> list[ClaimRecord]:
    out = [c for c in claims if c.club == club and c.person == person]
    if journalist != "*":
        out = [c for c in out if c.source.journalist == journalist]
    if outlet != "*":
        out = [c for c in out if c.source.outlet == outlet]
    return out


def best(claims: list[ClaimRecord]) -> ClaimRecord:
    from mercato.records import CERTAINTY_RANK, stage_rank

    assert claims, "expected a claim"
    return max(claims, key=lambda c: (stage_rank(c.stage), CERTAINTY_RANK[c.certainty]))


# -- entity linking -------------------------------------------------------------------------------


def test_club_nicknames_resolve_to_canonical_clubs():
    claims = run("The Gunners have made contact with Brentford boss Thomas Frank about their vacancy.")
    assert find(claims, "Arsenal", "Thomas Frank")
    claims = run("Spurs are monitoring Bologna coach Thiago Motta ahead of the summer.")
    assert find(claims, "Tottenham Hotspur", "Thiago Motta")


def test_misspelt_person_links_to_the_known_person():
    claims = run("Tottenham have opened talks with Feyenoord over Arne Slott, the Dutch outlet says.")
    assert [c.person for c in claims] and {c.person for c in claims} == {"Arne Slot"}
    # a one-word typo of a surname links where the article also names that person or his club
    claims = run("Ruben Amorim is wanted by Chelsea. Sporting CP expect Amroim to hold talks with Chelsea on Friday.")
    assert best(find(claims, "Chelsea", "Ruben Amorim")).stage == "talks"


def test_two_club_names_side_by_side_are_one_misspelt_club():
    claims = run("Xabi Alonso will stay at Bayern Leverkusen, ending Liverpool's hopes of hiring him.")
    assert not find(claims, "Bayern Munich", "Xabi Alonso")
    assert best(find(claims, "Liverpool", "Xabi Alonso")).stage == "off"


def test_people_outside_the_kb_are_found_and_canonicalised_by_surname():
    text = ("Celtic have approached Motherwell manager Stuart Kettlewell. "
            "Kettlewell is also said to be a target for Hearts.")
    claims = run(text)
    assert {c.person for c in claims} == {"Stuart Kettlewell"}
    assert find(claims, "Celtic", "Stuart Kettlewell")[0].stage == "contact"


def test_a_club_a_person_is_at_never_acquires_him():
    claims = run("Newcastle are considering Brentford's Thomas Frank and Crystal Palace boss Oliver Glasner.")
    assert {c.club for c in claims} == {"Newcastle United"}
    assert {c.person for c in claims} == {"Thomas Frank", "Oliver Glasner"}


def test_a_departing_manager_is_not_a_target():
    claims = run("Chelsea have held talks with Kieran McKenna about replacing Mauricio Pochettino.")
    assert find(claims, "Chelsea", "Kieran McKenna")
    assert not [c for c in claims if c.person == "Mauricio Pochettino"]


def test_officials_and_agents_are_not_targets():
    claims = run("Manchester United owner Jim Ratcliffe has held talks with Thomas Tuchel in Monaco.")
    assert {c.person for c in claims} == {"Thomas Tuchel"}
    assert find(claims, "Manchester United", "Thomas Tuchel")[0].stage == "talks"
    assert not [c for c in claims if c.club == "Monaco"]


# -- descriptors ----------------------------------------------------------------------------------


def test_age_descriptor_resolves_by_birth_date():
    # Unai Emery was born on 3 November 1971: 52 on 1 June 2024
    claims = run("Unai Emery has impressed at Aston Villa. Barcelona have now approached the 52-year-old.")
    assert best(find(claims, "Barcelona", "Unai Emery")).stage == "contact"


def test_nationality_descriptor_resolves_to_the_person_of_that_nationality():
    claims = run("Erik ten Hag and Mikel Arteta were praised this week. Bayern Munich have made contact with the Dutchman.")
    assert find(claims, "Bayern Munich", "Erik ten Hag")
    assert not find(claims, "Bayern Munich", "Mikel Arteta")


def test_club_role_descriptor_resolves_to_that_clubs_manager():
    claims = run("Vincent Kompany had a tough season. Bayern Munich are in talks with the Burnley boss.")
    assert best(find(claims, "Bayern Munich", "Vincent Kompany")).stage == "talks"


def test_kb_title_descriptor():
    claims = run("Harry Kane scored twice. Manchester United have enquired about the England captain.")
    assert best(find(claims, "Manchester United", "Harry Kane")).stage == "contact"


# -- attribution ----------------------------------------------------------------------------------


def test_journalist_reports_that_with_outlet_possessive():
    claims = run("The Athletic's David Ornstein reports that Aston Villa have opened talks with Thomas Frank.")
    c = find(claims, "Aston Villa", "Thomas Frank")[0]
    assert (c.source.journalist, c.source.outlet) == ("David Ornstein", "The Athletic")
    assert c.stage == "talks" and c.certainty == "firm"


def test_according_to_and_per_frames_name_the_outlet():
    c = run("According to Marca, Real Madrid have made an offer for Alexander Isak.")
    assert {(x.source.journalist, x.source.outlet) for x in c} == {(None, "Marca")}
    c = run("Per L'Equipe, Paris Saint-Germain have approached Mikel Arteta.")
    assert {(x.source.journalist, x.source.outlet) for x in c} == {(None, "L'Equipe")}


def test_outlet_frame_at_the_end_of_the_sentence():
    claims = run("Juventus have agreed personal terms with Thiago Motta, Sky Italia report.")
    c = find(claims, "Juventus", "Thiago Motta")[0]
    assert c.source.outlet == "Sky Italia" and c.stage == "agreement"


def test_writing_on_twitter_platform_is_not_an_outlet_and_adds_carries_the_source():
    text = ("Writing on Twitter, Ben Jacobs claims that Napoli are in talks with Antonio Conte.\n"
            "Jacobs adds that Juventus are also monitoring Conte.")
    claims = run(text)
    assert find(claims, "Napoli", "Antonio Conte", journalist="Ben Jacobs")[0].source.outlet == "CBS Sports"
    assert find(claims, "Juventus", "Antonio Conte", journalist="Ben Jacobs")[0].stage == "interest"
    assert not [c for c in claims if c.source.outlet == "Twitter"]


def test_as_first_reported_by_frame():
    claims = run("As first reported by The Times, Brighton have agreed a deal with Fabian Hurzeler.")
    assert {(c.source.outlet, c.stage) for c in claims} == {("The Times", "agreement")}


def test_quoted_tweet_byline_names_the_journalist():
    text = ("Newcastle United have made contact with Roberto De Zerbi's agent. pic.twitter.com/abc123 "
            "— Fabrizio Romano (@FabrizioRomano) June 1, 2024")
    claims = run(text)
    assert {c.source.journalist for c in claims} == {"Fabrizio Romano"}


def test_unnamed_sources_and_reportedly():
    claims = run("Leicester City have reportedly approached Steve Cooper.")
    c = find(claims, "Leicester City", "Steve Cooper")[0]
    assert (c.source.journalist, c.source.outlet, c.certainty) == (None, None, "hedged")
    claims = run("Reports in Spain claim Barcelona are in contact with Hansi Flick.")
    assert find(claims, "Barcelona", "Hansi Flick", journalist=None, outlet=None)


def test_own_voice_claims_carry_the_article_source():
    claims = run("Everton have made an offer for Kieran McKenna.", outlet="Example Gazette", author="Jo Bloggs")
    c = find(claims, "Everton", "Kieran McKenna")[0]
    assert (c.source.journalist, c.source.outlet, c.stage) == ("Jo Bloggs", "Example Gazette", "bid")


def test_first_person_party_quote_is_the_speakers_claim():
    text = ("Lazio and Fiorentina both wanted Daniele De Rossi.\n"
            "Daniele De Rossi: \u201cI will stay at this club, my heart is here\u201d.")
    claims = run(text)
    offs = [c for c in claims if c.source.journalist == "Daniele De Rossi"]
    assert {c.club for c in offs} == {"Lazio", "Fiorentina"}
    assert all(c.stage == "off" for c in offs)


def test_party_speaking_to_a_medium():
    claims = run("Thiago Motta confirmed that he wants the Juventus job, telling DAZN that talks are going well.")
    c = find(claims, "Juventus", "Thiago Motta", journalist="Thiago Motta")
    assert c and c[0].stage == "talks"


def test_club_after_an_amid_clause_keeps_own_voice_before_a_later_frame():
    claims = run("Amid interest from Chelsea in Enzo Maresca, reports claim Leicester City want a big fee.")
    assert find(claims, "Chelsea", "Enzo Maresca", journalist=None, outlet="Example Gazette")


# -- stages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "stage"), [
    ("Sevilla are keen on Julen Lopetegui.", "interest"),
    ("Sevilla have made contact with Julen Lopetegui's representatives.", "contact"),
    ("Sevilla are in negotiations with Julen Lopetegui.", "talks"),
    ("Sevilla have tabled a bid for Julen Lopetegui.", "bid"),
    ("Sevilla are close to an agreement with Julen Lopetegui.", "advanced"),
    ("Julen Lopetegui has agreed personal terms with Sevilla.", "agreement"),
    ("Sevilla have appointed Julen Lopetegui as their new head coach.", "done"),
])
def test_stage_ladder(sentence, stage):
    claims = run(sentence)
    assert best(find(claims, "Sevilla", "Julen Lopetegui")).stage == stage


def test_stays_is_off_against_every_pursuing_club():
    text = ("Napoli and Atalanta have held talks with Thiago Motta.\n"
            "But Thiago Motta will stay at Bologna next season.")
    claims = run(text)
    assert best(find(claims, "Napoli", "Thiago Motta")).stage == "off"
    assert best(find(claims, "Atalanta", "Thiago Motta")).stage == "off"
    assert not find(claims, "Bologna", "Thiago Motta")


def test_rules_himself_out_and_rejected_the_approach_are_off():
    claims = run("Graham Potter has ruled himself out of the Ajax job.")
    assert best(find(claims, "Ajax", "Graham Potter")).stage == "off"
    claims = run("Gareth Southgate rejected the approach from Manchester United.")
    assert best(find(claims, "Manchester United", "Gareth Southgate")).stage == "off"


def test_a_club_bowing_out_is_off_for_that_club_only():
    claims = run("Brighton have bowed out of the race for Kieran McKenna, while Chelsea are in talks with him.")
    assert best(find(claims, "Brighton & Hove Albion", "Kieran McKenna")).stage == "off"
    assert best(find(claims, "Chelsea", "Kieran McKenna")).stage == "talks"


def test_a_bid_rejected_by_the_selling_club_is_still_a_bid():
    claims = run("Arsenal had a bid of 40 million for Martin Zubimendi rejected by Real Sociedad.")
    assert best(find(claims, "Arsenal", "Martin Zubimendi")).stage == "bid"
    claims = run("Real Sociedad rejected an offer from Arsenal for Martin Zubimendi.")
    assert best(find(claims, "Arsenal", "Martin Zubimendi")).stage == "bid"


def test_a_person_turning_an_offer_down_is_off():
    claims = run("Ralf Rangnick turned the Bayern Munich offer down on Thursday.")
    assert best(find(claims, "Bayern Munich", "Ralf Rangnick")).stage == "off"


def test_not_ruled_out_is_not_off():
    claims = run("Roma have held talks with Daniele De Rossi and a move to Roma has not been ruled out.")
    assert all(c.stage != "off" for c in claims)


def test_negated_and_hoped_for_cues_do_not_assert_a_stage():
    claims = run("Wolves are interested in Gary O'Neil's assistant Tim Jenkins, but there is no agreement yet.")
    assert best(find(claims, "Wolverhampton Wanderers", "Tim Jenkins")).stage == "interest"


# -- certainty ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "certainty"), [
    ("Everton could make an offer for Steve Cooper.", "hedged"),
    ("Everton are believed to be monitoring Steve Cooper.", "hedged"),
    ("Everton reportedly approached Steve Cooper.", "hedged"),
    ("A move for Steve Cooper looks very difficult for Everton.", "doubtful"),
    ("Everton are unlikely to appoint Steve Cooper.", "doubtful"),
    ("Everton have approached Steve Cooper, it was reported on Monday.", "firm"),
])
def test_certainty(sentence, certainty):
    claims = run(sentence)
    assert find(claims, "Everton", "Steve Cooper")[0].certainty == certainty


def test_a_hedge_reaches_only_its_own_clause():
    claims = run("Fulham have agreed a fee for Marco Silva's successor Steve Cooper, while Leeds could also bid for Cooper.")
    assert best(find(claims, "Fulham", "Steve Cooper")).certainty == "firm"
    assert best(find(claims, "Leeds United", "Steve Cooper")).certainty == "hedged"


# -- roles ----------------------------------------------------------------------------------------


def test_staff_title_gives_the_staff_role():
    claims = run("Feyenoord assistant coach Jan Vermeer is set to join Ajax this summer.")
    c = find(claims, "Ajax", "Jan Vermeer")[0]
    assert (c.role, c.stage) == ("staff", "agreement")


# -- speed: parse only what can carry a claim ------------------------------------------------------


def test_only_sentences_with_a_club_and_a_cue_are_parsed():
    text = ("The weather in Lisbon was sunny on Stuart Kettlewell's birthday. Chelsea are in talks with Stuart Kettlewell. "
            "Chelsea are in talks with Kieran McKenna.")
    doc = ArticleDoc(text=text, date=DAY)
    segment(doc)
    mentions(doc)
    # no club: skipped; a club, a cue and an unknown name: parsed; every name already known: skipped
    assert [_needs_parse(s) for s in doc.sentences] == [False, True, False]


def test_kb_typo_aliases_are_not_stored():
    kb = get_kb()
    # misspellings are matched by the fuzzy linker, not by hand-written aliases
    assert "Arne Slott" not in kb.people["Arne Slot"].aliases
    assert kb.person("Arne Slott") is None


def test_attributive_target_club_gets_interest_only_for_its_own_person():
    claims = run("West Ham have held talks with Liverpool managerial target Kieran McKenna and Everton boss Sean Dyche.")
    assert best(find(claims, "West Ham United", "Kieran McKenna")).stage == "talks"
    assert best(find(claims, "Liverpool", "Kieran McKenna")).stage == "interest"
    assert not find(claims, "Liverpool", "Sean Dyche")


def test_a_former_club_named_in_the_article_is_not_a_suitor():
    text = ("Ajax are keen on former Chelsea boss Graham Potter.\n"
            "Potter was appointed by Chelsea in 2022 and Ajax have now approached him.")
    claims = run(text)
    assert best(find(claims, "Ajax", "Graham Potter")).stage == "contact"
    assert not find(claims, "Chelsea", "Graham Potter")


def test_club_announcement_is_the_clubs_claim_and_the_articles():
    claims = run("Leicester City have confirmed Steve Cooper as their new head coach.", outlet="Example Gazette")
    sources = {(c.source.journalist, c.source.outlet) for c in find(claims, "Leicester City", "Steve Cooper")}
    assert sources == {(None, "Leicester City"), (None, "Example Gazette")}
    assert {c.stage for c in claims} == {"done"}


def test_condition_reaches_only_its_own_clause():
    claims = run("If Xavi is sacked, Barcelona will make Hansi Flick their top candidate.")
    assert best(find(claims, "Barcelona", "Hansi Flick")).stage == "interest"
    claims = run("Barcelona hope that Hansi Flick has agreed terms.")
    assert all(c.stage != "agreement" for c in claims)


def test_titled_journalist_frame_and_the_expert_wrote():
    text = ("According to transfer insider, Ben Jacobs, Everton are in talks with Steve Cooper.\n"
            "\u201cEverton have agreed terms with Steve Cooper\u201d, the transfer insider wrote.")
    claims = run(text)
    assert {(c.source.journalist, c.stage) for c in claims} >= {("Ben Jacobs", "talks"), ("Ben Jacobs", "agreement")}


def test_a_denial_in_an_although_clause_does_not_reach_the_main_clause():
    text = ("Although Fulham's camp denied a meeting had taken place, an agreement is in place for Marco Silva "
            "to take over at Everton.")
    claims = run(text)
    c = best(find(claims, "Everton", "Marco Silva"))
    assert (c.stage, c.certainty) == ("agreement", "firm")


def test_an_agreement_still_to_come_is_talks_and_stays_firm():
    claims = run("Thomas Frank told Sky Sports that an agreement with Aston Villa would be reached soon.")
    c = find(claims, "Aston Villa", "Thomas Frank", journalist="Thomas Frank")[0]
    assert (c.source.outlet, c.stage, c.certainty) == ("Sky Sports", "advanced", "firm")


def test_questions_assert_nothing_and_will_be_appointed_is_agreement():
    assert run("Should Everton make an offer for Steve Cooper?") == []
    claims = run("Steve Cooper will be appointed as the new manager of Leicester City next week.")
    assert best(find(claims, "Leicester City", "Steve Cooper")).stage == "agreement"


def test_close_to_needs_a_deal_word():
    claims = run("Mikel Arteta is close to leading Arsenal to the title, and Barcelona are close to a deal with Arteta.")
    assert best(find(claims, "Barcelona", "Mikel Arteta")).stage == "advanced"
    claims = run("Kompany is close to winning the league while Bayern Munich monitor Vincent Kompany.")
    assert best(find(claims, "Bayern Munich", "Vincent Kompany")).stage == "interest"


def test_failed_to_reach_agreement_is_not_agreement():
    claims = run("Bayern Munich were unable to reach an agreement with Ralf Rangnick.")
    assert all(c.stage != "agreement" for c in claims)


def test_according_to_a_named_person_makes_him_the_source_not_the_target():
    claims = run("According to his former team-mate Jamie Carragher, Liverpool are in talks with Xabi Alonso.")
    assert {(c.club, c.person, c.source.journalist) for c in claims} == {("Liverpool", "Xabi Alonso", "Jamie Carragher")}


def test_club_losing_its_manager_is_the_topic_and_trailing_according_to_covers_the_sentence():
    text = ("Erik ten Hag has been sacked by Manchester United. Ruud van Nistelrooy will take interim charge, "
            "while the club have held talks with Ruben Amorim, according to The Athletic's David Ornstein.")
    claims = run(text)
    c = best(find(claims, "Manchester United", "Ruben Amorim"))
    assert (c.stage, c.source.journalist, c.source.outlet) == ("talks", "David Ornstein", "The Athletic")
    assert not [x for x in claims if x.person == "Erik ten Hag"]


def test_the_selling_club_agreeing_a_fee_is_the_suitors_agreement():
    claims = run("Dan Ashworth is expected to join Manchester United as sporting director after Newcastle agreed compensation.")
    c = best(find(claims, "Manchester United", "Dan Ashworth"))
    assert (c.role, c.stage) == ("staff", "agreement")
    assert not find(claims, "Newcastle United", "Dan Ashworth")


def test_the_club_named_with_the_deal_is_the_seller_and_slot_names_are_people():
    claims = run("Atletico Madrid have agreed a fee with Manchester City for Julian Alvarez.")
    assert {(c.club, c.person, c.stage) for c in claims} == {("Atlético Madrid", "Julian Alvarez", "agreement")}
    claims = run("Napoli have completed the signing of Romelu Lukaku from Chelsea.")
    assert {(c.club, c.person, c.stage) for c in claims} == {("Napoli", "Romelu Lukaku", "done")}


# -- generalisation families (held-out review) ------------------------------------------------------


def test_a_federation_or_a_coaching_verb_makes_a_national_team_the_acquirer():
    claims = run("The French Football Federation have opened talks with Zinedine Zidane about the vacant post.")
    assert best(find(claims, "France", "Zinedine Zidane")).stage == "talks"
    claims = run("Thomas Tuchel has rejected the chance to coach Germany, preferring to stay at Bayern Munich.")
    assert best(find(claims, "Germany", "Thomas Tuchel")).stage == "off"
    assert not find(claims, "Bayern Munich", "Thomas Tuchel")


def test_a_country_before_a_position_word_is_a_nationality_never_a_club():
    claims = run("Chelsea have made a £40m bid for the Brazil international Rodrygo, the Spanish press say.")
    assert not [c for c in claims if c.club == "Brazil"]
    claims = run("Juventus are monitoring Portugal forward Joao Felix ahead of January.")
    assert not [c for c in claims if c.club == "Portugal"]


def test_verb_forms_and_approach_wording_are_contact():
    claims = run("Napoli make contact with Thiago Motta over their coaching vacancy.")
    assert best(find(claims, "Napoli", "Thiago Motta")).stage == "contact"
    claims = run("Aston Villa have lodged an official approach with Bologna for Thiago Motta.")
    assert best(find(claims, "Aston Villa", "Thiago Motta")).stage == "contact"


def test_minor_details_are_advanced():
    claims = run("Juventus and Thiago Motta are in talks, with only minor details left to settle.")
    assert best(find(claims, "Juventus", "Thiago Motta")).stage == "advanced"


def test_refusing_to_let_him_leave_and_full_commitment_are_off():
    claims = run("Chelsea asked about Thiago Motta, but Bologna refused to let their coach leave.")
    assert best(find(claims, "Chelsea", "Thiago Motta")).stage == "off"
    claims = run("Arsenal have asked about Ruben Amorim, who insists he is fully committed to Sporting CP.")
    assert best(find(claims, "Arsenal", "Ruben Amorim")).stage == "off"
    claims = run("Liverpool want Ruben Amorim but are not 100% committed to the idea.")
    assert all(c.stage != "off" for c in find(claims, "Liverpool", "Ruben Amorim"))


def test_a_cue_negated_after_it_is_no_cue():
    claims = run("Bayern Munich like Thomas Frank, but formal talks have not yet been held with Frank.")
    assert all(c.stage != "talks" for c in find(claims, "Bayern Munich", "Thomas Frank"))


def test_the_articles_own_outlet_as_a_frame_is_the_own_voice():
    claims = run("Chelsea have made contact with Thomas Frank, The Guardian understands.", outlet="The Guardian",
                 author="Jane Writer")
    c = best(find(claims, "Chelsea", "Thomas Frank"))
    assert (c.source.journalist, c.source.outlet) == ("Jane Writer", "The Guardian")


def test_a_trailing_unnamed_frame_covers_the_sentence_before_it():
    claims = run("Arsenal and Chelsea have also been watching Thiago Motta, reports in Italy claim.")
    for club in ("Arsenal", "Chelsea"):
        c = best(find(claims, club, "Thiago Motta"))
        assert (c.source.journalist, c.source.outlet) == (None, None)


def test_a_quote_over_several_sentences_belongs_to_the_speaker_named_after_it():
    text = ("Juventus are searching for a new head coach.\n\n"
            "\"We are speaking with several coaches and Thiago Motta is one of them. We will decide within days,\" "
            "sporting director Paolo Bianchi told DAZN.")
    c = best(find(run(text), "Juventus", "Thiago Motta"))
    assert (c.source.journalist, c.source.outlet, c.stage) == ("Paolo Bianchi", "DAZN", "talks")


def test_told_the_outlet_keeps_the_party_as_source_and_told_reporters_that_x_is_not_x_speaking():
    text = ("Chelsea have put Thomas Frank on their shortlist.\n\n"
            "\"Thomas is our coach and he will be our coach next season,\" chairman Paolo Bianchi told the BBC.")
    offs = [c for c in find(run(text), "Chelsea", "Thomas Frank") if c.stage == "off"]
    assert offs and {(c.source.journalist, c.source.outlet) for c in offs} == {("Paolo Bianchi", "BBC")}
    text = "Bayern Munich chairman Paolo Bianchi told reporters that Thomas Frank \"is our first choice\"."
    c = best(find(run(text), "Bayern Munich", "Thomas Frank"))
    assert c.source.journalist == "Paolo Bianchi"


def test_whose_side_a_rejecting_club_and_the_club_he_would_leave_are_never_the_acquirer():
    claims = run("Napoli held talks with Thiago Motta, whose Bologna side finished fifth.")
    assert find(claims, "Napoli", "Thiago Motta") and not find(claims, "Bologna", "Thiago Motta")
    claims = run("Chelsea have had a bid for Joao Felix rejected by Benfica, according to A Bola.")
    assert best(find(claims, "Chelsea", "João Félix")).stage == "bid" and not find(claims, "Benfica", "João Félix")
    claims = run("Roma sounded out Thiago Motta, but he is unlikely to leave Bologna.")
    assert find(claims, "Roma", "Thiago Motta") and not find(claims, "Bologna", "Thiago Motta")


def test_a_reporter_is_never_the_subject_of_his_own_report():
    claims = run("Sky Sports' Paolo Bianchi says that Liverpool are keen on Thiago Motta.")
    assert not [c for c in claims if c.person == "Paolo Bianchi"]
    assert best(find(claims, "Liverpool", "Thiago Motta")).source.journalist == "Paolo Bianchi"


def test_a_clause_naming_only_the_club_carries_the_person_it_is_already_pursuing():
    text = ("Aston Villa have made Thiago Motta their top target.\n\n"
            "Aston Villa have offered Bologna compensation worth £5m, according to Sky Sports.")
    c = best(find(run(text), "Aston Villa", "Thiago Motta", outlet="Sky Sports"))
    assert c.stage == "bid"
    # a clause about other options or an unknown name does not take the story's person
    text = ("Aston Villa have made Thiago Motta their top target.\n\n"
            "Aston Villa have also offered compensation for any of their other options, according to Sky Sports.")
    assert not find(run(text), "Aston Villa", "Thiago Motta", outlet="Sky Sports")


def test_a_nationality_descriptor_falls_back_to_the_last_person_of_unknown_nationality():
    text = ("Brentford have opened talks over Zoltan Quenneville.\n\n"
            "Brentford have tabled a bid for the Frenchman, according to Sky Sports.")
    c = best(find(run(text), "Brentford", "Zoltan Quenneville", outlet="Sky Sports"))
    assert c.stage == "bid"


def test_we_in_a_speakers_quote_is_his_club_and_he_is_not_the_mover():
    text = ("Arsenal are looking for a new striker.\n\n"
            "\"We are looking at the market, but I cannot talk about other players,\" Mikel Arteta said.")
    assert not [c for c in run(text) if c.person == "Mikel Arteta"]


def test_with_x_leaving_the_club_is_a_departure_not_a_signing():
    claims = run("Aston Villa appointed Thiago Motta on Monday, with Unai Emery leaving the club after five years.")
    assert find(claims, "Aston Villa", "Thiago Motta") and not find(claims, "Aston Villa", "Unai Emery")


def test_an_unfamiliar_name_the_model_calls_a_place_is_a_person_in_a_persons_slot():
    claims = run("Brentford have opened talks with Zoltan Quenneville over a summer move.")
    assert find(claims, "Brentford", "Zoltan Quenneville")


def test_a_country_as_nationality_resolves_to_the_person_and_agents_are_not_targets():
    text = ("Leverkusen have sold Florian Wirtz.\n\n"
            "Bayern Munich have agreed a fee with Leverkusen for the Germany international, according to Bild.")
    assert best(find(run(text), "Bayern Munich", "Florian Wirtz", outlet="Bild")).stage == "agreement"
    claims = run("Liverpool have made contact with Zoltan Quenneville, the agent of Thiago Motta.")
    assert not find(claims, "Liverpool", "Zoltan Quenneville")


def test_a_bare_united_is_the_articles_united_and_a_ground_after_a_move_verb_is_its_club():
    text = ("Manchester United are in talks with Newcastle United over Thiago Motta.\n\n"
            "United have offered £5m in compensation, according to The Telegraph.")
    c = best(find(run(text), "Manchester United", "Thiago Motta", outlet="The Telegraph"))
    assert c.stage == "bid"
    claims = run("Thomas Frank's assistant Paolo Bianchi will follow him to the London Stadium, Sky Sports understands.")
    c = best(find(claims, "West Ham United", "Paolo Bianchi"))
    assert (c.stage, c.role) == ("agreement", "staff")


def test_a_sellers_rejection_is_the_pursuers_bid_and_a_sellers_demand_is_no_bid():
    text = ("Chelsea are keen on Jarrad Branthwaite.\n\n"
            "Everton defender Jarrad Branthwaite is a target. Everton have rejected a £30m offer for him, the BBC reports.")
    assert best(find(run(text), "Chelsea", "Jarrad Branthwaite", outlet="BBC")).stage == "bid"
    text = "Chelsea are keen on Thiago Motta, but Bologna want a significant fee for the coach."
    assert all(c.stage != "bid" for c in run(text))


def test_a_release_clause_is_a_bid_only_when_someone_pays_it():
    assert best(find(run("Chelsea want Thiago Motta, who has a £10m release clause."), "Chelsea", "Thiago Motta")).stage \
        == "interest"
    assert best(find(run("Chelsea have triggered the £10m release clause of Thiago Motta."), "Chelsea",
                     "Thiago Motta")).stage == "bid"


def test_a_club_confirming_the_appointment_is_its_announcement():
    text = "Aston Villa have turned to Thiago Motta.\n\nAston Villa confirmed the appointment on Friday."
    assert [c for c in find(run(text), "Aston Villa", "Thiago Motta", outlet="Aston Villa") if c.stage == "done"]


def test_a_speaker_naming_someone_else_speaks_of_that_person():
    claims = run("Paolo Bianchi reckons Thiago Motta wants to join Arsenal.")
    assert not [c for c in claims if c.person == "Paolo Bianchi"]
    assert best(find(claims, "Arsenal", "Thiago Motta")).source.journalist == "Paolo Bianchi"


def test_turning_down_one_clubs_approach_is_off_for_that_club_alone():
    text = ("Aston Villa have appointed Thiago Motta.\n\n"
            "Motta had been out of work since his sacking by Juventus and turned down an approach from Everton in May.")
    claims = run(text)
    assert best(find(claims, "Everton", "Thiago Motta")).stage == "off"
    assert all(c.stage != "off" for c in find(claims, "Aston Villa", "Thiago Motta"))
    assert not find(claims, "Juventus", "Thiago Motta")


def test_could_be_appointed_is_advanced_and_a_doubting_clause_reaches_the_same_sources_claim():
    c = best(find(run("Thiago Motta could be appointed by Aston Villa next week."), "Aston Villa", "Thiago Motta"))
    assert (c.stage, c.certainty) == ("advanced", "hedged")
    c = best(find(run("Aston Villa sounded out Thiago Motta, according to Sky Sports, but Motta is unlikely to leave."),
                  "Aston Villa", "Thiago Motta", outlet="Sky Sports"))
    assert (c.stage, c.certainty) == ("contact", "doubtful")


def test_the_speaker_after_a_quote_is_not_its_subject():
    text = ("Real Madrid have been linked with Bukayo Saka.\n\n"
            "\"We want to keep Bukayo. He is going nowhere,\" Mikel Arteta told Sky Sports.")
    claims = run(text)
    offs = [c for c in find(claims, "Real Madrid", "Bukayo Saka", journalist="Mikel Arteta") if c.stage == "off"]
    assert offs and not [c for c in claims if c.person == "Mikel Arteta"]


def test_a_title_before_a_name_is_not_a_second_person_and_assistants_move_not_their_bosses():
    claims = run("Real Madrid are monitoring the Argentina captain Lionel Messi.")
    assert {c.person for c in claims} == {"Lionel Messi"}
    text = ("Aston Villa are close to hiring Thiago Motta.\n\n"
            "Motta's long-time assistant Paolo Bianchi is set to join Aston Villa too, Sky Sports reports.")
    claims = run(text)
    assert best(find(claims, "Aston Villa", "Paolo Bianchi", outlet="Sky Sports")).stage == "agreement"
    assert not find(claims, "Aston Villa", "Thiago Motta", outlet="Sky Sports")


def test_position_descriptors_and_a_club_no_longer_pursuing():
    text = ("Manchester United have made contact over Joshua Zirkzee.\n\n"
            "Arsenal are not pursuing a move for the forward, according to Sky Sports.")
    assert best(find(run(text), "Arsenal", "Joshua Zirkzee", outlet="Sky Sports")).stage == "off"


def test_sources_close_to_him_are_unnamed_and_no_plans_to_leave_is_off():
    text = ("The FA are keen on Eddie Howe.\n\n"
            "Howe is happy at Newcastle and has no plans to leave, sources close to the coach say.")
    offs = [c for c in find(run(text), "England", "Eddie Howe") if c.stage == "off"]
    assert offs and all((c.source.journalist, c.source.outlet) == (None, None) for c in offs)


def test_a_managers_side_is_not_the_manager_moving_and_no_longer_an_obstacle_is_no_doubt():
    claims = run("Chelsea have made a bid for Michael Olise, but Eddie Howe's side are unlikely to match it.")
    assert not [c for c in claims if c.person == "Eddie Howe"]
    c = best(find(run("Chelsea are closing in on a deal for Michael Olise, with personal terms no longer an obstacle."),
                  "Chelsea", "Michael Olise"))
    assert (c.stage, c.certainty) == ("advanced", "firm")


def test_first_names_in_a_quote_link_and_the_candidate_to_replace_someone_stays_a_cue():
    text = ("Tottenham are keen on Genoa striker Mateo Retegui.\n\n"
            "\"We have had calls, but Mateo stays with us,\" Genoa director Marco Ottolini told Il Secolo XIX.")
    claims = run(text)
    assert [c for c in find(claims, "Tottenham Hotspur", "Mateo Retegui", journalist="Marco Ottolini") if c.stage == "off"]
    assert not [c for c in claims if c.person == "Il Secolo XIX"]
    claims = run("Xabi Alonso is now the top candidate to replace Thomas Tuchel at Bayern Munich.")
    assert best(find(claims, "Bayern Munich", "Xabi Alonso")).stage == "interest"


def test_a_bid_still_to_come_is_interest_and_a_passive_rejected_bid_is_the_storys_bid():
    claims = run("Atletico Madrid are preparing an improved bid for Cristian Romero.")
    assert best(find(claims, "Atlético Madrid", "Cristian Romero")).stage == "interest"
    text = ("Arsenal have opened talks over Benjamin Sesko.\n\n"
            "An opening bid of €60m was turned down by the Bundesliga club last week, according to Sky Sports.")
    assert best(find(run(text), "Arsenal", "Benjamin Sesko", outlet="Sky Sports")).stage == "bid"


def test_turning_attention_elsewhere_is_the_clubs_off():
    text = ("Newcastle United were credited with an interest in Benjamin Sesko.\n\n"
            "It is understood Newcastle have since turned their attention elsewhere.")
    offs = [c for c in find(run(text), "Newcastle United", "Benjamin Sesko") if c.stage == "off"]
    assert offs and offs[0].source.journalist is None


def test_the_clubs_own_manager_is_not_its_target_and_also_interested_takes_the_last_person():
    text = ("Barcelona are monitoring Sporting CP striker Viktor Gyokeres, according to Marca.\n\n"
            "Manchester United, now managed by former Sporting boss Ruben Amorim, are also interested.")
    claims = run(text)
    assert find(claims, "Manchester United", "Viktor Gyokeres")
    assert not find(claims, "Manchester United", "Ruben Amorim")


def test_previously_worked_at_is_a_former_club_and_he_himself_said_is_his_claim():
    claims = run("Bayern Munich have opened talks with Ralf Rangnick, who previously worked at RB Leipzig.")
    assert find(claims, "Bayern Munich", "Ralf Rangnick") and not find(claims, "RB Leipzig", "Ralf Rangnick")
    text = ("Barcelona are monitoring Viktor Gyokeres.\n\n"
            "Gyokeres himself has said he is happy in Portugal and not thinking about a move.")
    offs = [c for c in find(run(text), "Barcelona", "Viktor Gyokeres") if c.stage == "off"]
    assert offs and offs[0].source.journalist == "Viktor Gyokeres"


def test_the_outlet_referred_back_to_is_the_last_named_outlet_and_not_the_person_after_it():
    text = ("Bayern Munich have reached a verbal agreement with Vincent Kompany, according to Bild.\n\n"
            "According to the German newspaper, Kompany was on Bayern Munich's shortlist from the start.")
    claims = run(text)
    assert not [c for c in claims if c.source.journalist == "Vincent Kompany"]
    text = ("Marca claims Atletico Madrid have made a bid for Cristian Romero.\n\n"
            "The Spanish outlet adds that Atletico Madrid are unlikely to land Romero this summer.")
    c = best(find(run(text), "Atlético Madrid", "Cristian Romero", outlet="Marca"))
    assert c.certainty == "doubtful"


def test_x_says_y_after_the_claim_makes_y_the_source_and_contract_extensions_are_no_move():
    claims = run("Kylian Mbappe wants to join Real Madrid, says Paolo Bianchi, a former team-mate of the striker.")
    assert {(c.person, c.source.journalist) for c in claims} == {("Kylian Mbappe", "Paolo Bianchi")}
    assert not run("Ole Gunnar Solskjaer will hold talks with Edinson Cavani over extending his contract at Manchester United.")


def test_a_relatives_move_is_not_the_relatives_and_long_term_deals_are_renewals():
    assert not run("The son of former Everton defender Phil Jagielka has signed for Liverpool.")
    assert not run("Blackburn Rovers want their players to agree long-term deals, including striker Adam Armstrong.")


def test_a_titled_official_as_the_object_of_a_deal_moves_and_keeps_his_role():
    text = ("Newcastle are in talks with Brighton over technical director David Weir, per The Athletic.\n\n"
            "Newcastle want to complete the deal before the end of the month, reports in the north-east claim.")
    claims = run(text)
    assert {c.role for c in find(claims, "Newcastle United", "David Weir")} == {"staff"}
    assert [c for c in find(claims, "Newcastle United", "David Weir") if c.source.journalist is None
            and c.source.outlet is None]


def test_an_admirer_is_not_the_target_and_the_text_beats_a_stale_kb_club():
    claims = run("Real Madrid want Trent Alexander-Arnold. Carlo Ancelotti is a big admirer of the right-back.")
    assert not [c for c in claims if c.person == "Carlo Ancelotti"]
    claims = run("Liverpool have appointed Richard Hughes as their new sporting director.")
    assert best(find(claims, "Liverpool", "Richard Hughes")).stage == "done"


def test_the_club_rejecting_a_bid_is_the_players_club_and_we_of_its_boss_is_no_move():
    text = ("Crystal Palace have rejected a £60m bid from Manchester City for Eberechi Eze.\n\n"
            "Palace boss Oliver Glasner said: \"Ebe is happy here and we want to build the team around him.\"")
    claims = run(text)
    assert best(find(claims, "Manchester City", "Eberechi Eze")).stage == "bid"
    assert not [c for c in claims if c.club == "Crystal Palace" or c.person == "Oliver Glasner"]


def test_a_descriptor_after_replace_is_the_departing_man():
    text = ("Manchester United have sacked Erik ten Hag, with Ruud van Nistelrooy in interim charge.\n\n"
            "Ruben Amorim is the leading candidate to replace the Dutchman.")
    claims = run(text)
    assert find(claims, "Manchester United", "Ruben Amorim")
    assert not find(claims, "Manchester United", "Ruud van Nistelrooy")


def test_trailing_outlet_frames_per_reports_and_asking_about_a_player():
    claims = run("Aston Villa have opened talks with Marcus Rashford over a loan move, claims The Sun.")
    assert best(find(claims, "Aston Villa", "Marcus Rashford")).source.outlet == "The Sun"
    claims = run("Barcelona had hoped to sign Marcus Rashford, per reports.")
    assert best(find(claims, "Barcelona", "Marcus Rashford")).source.outlet is None
    text = "Aston Villa want Marcus Rashford.\n\nAC Milan have also asked about the England forward."
    assert best(find(run(text), "AC Milan", "Marcus Rashford")).stage == "contact"
    assert not run("Mikel Arteta was coy when asked about Chelsea and Marcus Rashford.")


def test_national_job_wording_and_other_countries_in_a_national_story():
    text = ("Zinedine Zidane is closing in on the France job, with Didier Deschamps set to step down.\n\n"
            "Brazil have also shown interest in Zidane, according to Globo.")
    claims = run(text)
    assert best(find(claims, "France", "Zinedine Zidane")).stage == "advanced"
    assert find(claims, "Brazil", "Zinedine Zidane")
    assert not find(claims, "France", "Didier Deschamps")


def test_a_person_rejecting_offers_is_off_and_his_old_manager_is_not_a_target():
    claims = run("Zinedine Zidane has been out of work since leaving Real Madrid and has rejected offers from "
                 "Manchester United.")
    assert best(find(claims, "Manchester United", "Zinedine Zidane")).stage == "off"
    claims = run("Everton want Jack Grealish, who fell out of favour under Pep Guardiola last season.")
    assert not [c for c in claims if c.person == "Pep Guardiola"]


def test_a_club_insisting_speaks_for_itself_and_a_managers_squad_is_his_clubs():
    text = "Chelsea have shortlisted Marco Silva.\n\nFulham, however, insist Silva is going nowhere."
    offs = [c for c in find(run(text), "Chelsea", "Marco Silva") if c.stage == "off"]
    assert offs and {c.source.outlet for c in offs} == {"Fulham"}
    text = ("Napoli are keen on Darwin Nunez.\n\nNapoli won the league in May, and Antonio Conte wants to strengthen "
            "his squad.\n\nAntonio Conte's side have also made an offer for Lorenzo Lucca, Il Mattino reports.")
    claims = run(text)
    assert not [c for c in claims if c.person == "Antonio Conte"]
    assert best(find(claims, "Napoli", "Lorenzo Lucca", outlet="Il Mattino")).stage == "bid"


def test_in_place_attention_the_players_camp_and_not_knowing():
    assert best(find(run("Tottenham want Thomas Frank, who could be in place at Tottenham by Friday."), "Tottenham Hotspur",
                     "Thomas Frank")).stage == "advanced"
    assert find(run("Barcelona are expected to turn their attention to Luis Diaz."), "Barcelona", "Luis Diaz")
    text = ("Barcelona agreed terms with Nico Williams.\n\n"
            "Per Cadena SER, Barcelona's registration problems persuaded the player's camp to pull out of the deal.")
    assert [c for c in find(run(text), "Barcelona", "Nico Williams", outlet="Cadena SER") if c.stage == "off"]
    text = ("Newcastle United have had a bid for Hugo Ekitike rejected.\n\n"
            "\"We have made no secret of our admiration for Hugo. Whether we can get it done, I honestly "
            "don't know,\" Eddie Howe told reporters.")
    c = best(find(run(text), "Newcastle United", "Hugo Ekitike", journalist="Eddie Howe"))
    assert c.certainty == "doubtful"


def test_a_sporting_director_without_a_named_club_acts_for_the_articles_club():
    text = ("Napoli have signed Kevin De Bruyne.\n\nNapoli are also keen on Darwin Nunez, while Al-Hilal are also keen.\n\n"
            "Sporting director Giovanni Manna has also been in contact with Udinese over Lorenzo Lucca.")
    assert best(find(run(text), "Napoli", "Lorenzo Lucca")).stage == "contact"


def test_a_loan_club_is_his_club_and_a_january_move_is_interest():
    claims = run("Manchester United are ready to sanction a January move for Victor Osimhen, who is on loan at Galatasaray.")
    assert best(find(claims, "Manchester United", "Victor Osimhen")).stage == "interest"
    assert not find(claims, "Galatasaray", "Victor Osimhen")


def test_an_official_named_by_surname_stays_an_official_and_speaking_for_his_club_is_no_move():
    text = ("Wolverhampton Wanderers want a new manager, says chairman Jeff Shi.\n\n"
            "Shi told BBC Sport: \"We want someone who knows the league.\"")
    assert not [c for c in run(text) if c.person == "Jeff Shi"]


def test_gossip_forms_ended_pursuit_set_to_complete_listen_to_offers_and_the_club_position_descriptor():
    assert best(find(run("Leicester City have ended their pursuit of Celtic striker Odsonne Edouard."), "Leicester City",
                     "Odsonne Edouard")).stage == "off"
    assert best(find(run("Barcelona are set to complete the signing of Lyon forward Memphis Depay."), "Barcelona",
                     "Memphis Depay")).stage == "agreement"
    assert not run("Tottenham will listen to offers for midfielder Harry Winks this summer.")
    claims = run("Southampton are in talks with Chelsea over a loan move for 19-year-old Scottish midfielder Billy Gilmour.")
    assert find(claims, "Southampton", "Billy Gilmour") and not find(claims, "Chelsea", "Billy Gilmour")
    claims = run("Arsenal have made a bid for the Borussia Dortmund and England winger Jadon Sancho.")
    assert find(claims, "Arsenal", "Jadon Sancho") and not find(claims, "Borussia Dortmund", "Jadon Sancho")


# -- real-article families (rules-0.4) ------------------------------------------------------------


def test_an_appointment_on_a_contract_until_a_year_is_done_not_a_renewal():
    claims = run("Everton have officially appointed Thomas Frank as their new manager on a contract until 2028.")
    assert best(find(claims, "Everton", "Thomas Frank")).stage == "done"
    # a real extension is still no move
    assert not find(run("Thomas Frank has extended his contract at Brentford until 2028."), "Brentford", "Thomas Frank")


def test_lexicon_gaps_not_returning_touted_destination_left_to_become_and_touched_base():
    claims = run("Graham Potter would not be returning to Brighton for another spell in charge, the report adds.")
    assert best(find(claims, "Brighton & Hove Albion", "Graham Potter")).stage == "off"
    claims = run("Newcastle have been touted as a possible destination for Marco Silva this summer.")
    assert best(find(claims, "Newcastle United", "Marco Silva")).stage == "interest"
    claims = run("Thomas Frank left Brentford to become Everton boss in the summer.")
    assert best(find(claims, "Everton", "Thomas Frank")).stage == "done"
    assert not find(claims, "Brentford", "Thomas Frank")
    claims = run("Aston Villa have touched base with Marco Silva over their vacancy.")
    assert best(find(claims, "Aston Villa", "Marco Silva")).stage == "contact"


def test_sky_in_germany_is_sky_germany():
    claims = run("Brentford are in advanced talks with Fabian Hurzeler, according to Sky in Germany.")
    assert {c.source.outlet for c in find(claims, "Brentford", "Fabian Hurzeler")} == {"Sky Germany"}


def test_not_returning_is_off_for_the_club_left_only_and_considering_a_fact_is_no_interest():
    text = ("Liverpool are in talks with Brendan Rodgers.\n\n"
            "Former Reds boss Brendan Rodgers would not be returning to the club, the report said.")
    claims = run("Newcastle want Sean Dyche. Former Burnley boss Sean Dyche will not be returning to Burnley.")
    assert best(find(claims, "Burnley", "Sean Dyche")).stage == "off"
    assert best(find(claims, "Newcastle United", "Sean Dyche")).stage == "interest"
    assert best(find(run(text), "Liverpool", "Brendan Rodgers")).certainty == "firm"
    claims = run("Newcastle want Sean Dyche. That is no surprise considering the long gap between Dyche and his rivals.")
    assert len(find(claims, "Newcastle United", "Sean Dyche")) == 1


def test_staff_named_in_a_coaching_team_list_or_joining_the_managers_staff():
    text = ("Everton have appointed Thomas Frank as their new manager.\n\n"
            "He will be joined by a four-man backroom team comprising former Brentford defender Kevin Mabbutt, "
            "Lars Friis, Paulo De Souza and Jonas Holmgaard.\n\n"
            "Everton confirmed that Pieter Klaasen will also join Frank's staff as goalkeeping coach.")
    claims = run(text)
    for name in ("Kevin Mabbutt", "Lars Friis", "Paulo De Souza", "Jonas Holmgaard"):
        c = best(find(claims, "Everton", name))
        assert (c.role, c.stage) == ("staff", "agreement")
    assert not find(claims, "Brentford", "Kevin Mabbutt")
    c = best(find(claims, "Everton", "Pieter Klaasen", journalist=None, outlet="Everton"))
    assert (c.role, c.stage) == ("staff", "done")
    assert not [c for c in claims if c.person == "Thomas Frank" and c.role == "staff"]


def test_sources_told_an_outlet_and_a_backward_according_to_frame():
    claims = run("Sources have told ESPN that Everton have opened talks with Marco Silva.")
    assert {c.source.outlet for c in find(claims, "Everton", "Marco Silva")} == {"ESPN"}
    claims = run("Everton have held talks with Marco Silva. That's according to new reports following the weekend defeat.")
    c = best(find(claims, "Everton", "Marco Silva"))
    assert (c.source.journalist, c.source.outlet, c.certainty) == (None, None, "firm")
    claims = run("Everton have held talks with Marco Silva. That is according to The Athletic.")
    assert {c.source.outlet for c in find(claims, "Everton", "Marco Silva")} == {"The Athletic"}


def test_a_club_confirming_someone_will_join_is_done_but_speculation_about_whether_is_no_claim():
    claims = run("Everton confirmed that Marco Silva will join as their new manager in July.")
    assert best(find(claims, "Everton", "Marco Silva", journalist=None, outlet="Everton")).stage == "done"
    claims = run("Everton have confirmed that Sean Dyche will leave in May, while there is speculation about whether "
                 "Marco Silva will replace him.")
    assert not find(claims, "Everton", "Marco Silva")


def test_hard_wrapped_lines_do_not_end_sentences_but_headlines_and_blank_lines_do():
    text = ("Everton target Marco Silva turns down approach\n"
            "Everton had been holding talks with Marco Silva about the\n"
            "vacancy, according to The Athletic.\n"
            "However, Silva intends to see out his contract with\n"
            "Fulham until it expires, as per The Times.\n\nNew paragraph here.")
    doc = ArticleDoc(text=text, date=DAY)
    segment(doc)
    texts = [s.text for s in doc.sentences]
    assert texts[0] == "Everton target Marco Silva turns down approach"
    assert texts[1].endswith("according to The Athletic.") and texts[2].endswith("as per The Times.")
    assert texts[-1] == "New paragraph here."
    claims = run(text)
    assert best(find(claims, "Everton", "Marco Silva", outlet="The Athletic")).stage == "talks"
    assert best(find(claims, "Everton", "Marco Silva", outlet="The Times")).stage == "off"


def test_taking_up_the_position_far_from_any_club_is_for_the_club_whose_manager_left():
    text = ("Sean Dyche has been sacked by Everton after a poor run.\n\n"
            "The decision came after a defeat at home.\n\nFans had been unhappy for weeks.\n\n"
            "The board met on Monday.\n\nThe squad trained on Tuesday.\n\n"
            "The Athletic's David Ornstein says former Fulham manager Marco Silva is expected to take up the position "
            "next season.")
    c = best(find(run(text), "Everton", "Marco Silva", journalist="David Ornstein"))
    assert (c.stage, c.certainty) == ("agreement", "hedged")


def test_journalist_who_states_is_the_source_and_the_coach_is_the_person_last_spoken_of():
    claims = run("This follows claims from journalist Pedro Sepulveda, who states that Everton have made contact with "
                 "Marco Silva.")
    assert best(find(claims, "Everton", "Marco Silva")).source.journalist == "Pedro Sepulveda"
    claims = run("Marco Silva is wanted by Everton. Along with Everton, Newcastle are big admirers of the coach, although "
                 "they will give Eddie Howe every chance.")
    assert find(claims, "Newcastle United", "Marco Silva")
    assert not find(claims, "Everton", "Eddie Howe")


def test_past_talks_a_fee_being_negotiated_and_a_name_that_could_be_discussed_are_no_stronger_claims():
    claims = run("Marco Silva told his agent he did not want a repeat of last summer's talks with Everton.")
    assert not find(claims, "Everton", "Marco Silva")
    claims = run("Everton are keen on Marco Silva. Everton are negotiating for a lower fee with Fulham.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "talks"
    claims = run("Everton are keen on Marco Silva. Should he become available, his name could be discussed at Everton.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "interest"


def test_a_hedge_inside_a_clause_describing_the_deal_or_the_question_stays_there():
    claims = run("Everton have contacted Marco Silva's agent to enquire if the Portuguese would be open to a return.")
    assert best(find(claims, "Everton", "Marco Silva")).certainty == "firm"
    claims = run("Everton had been discussing a deal with Marco Silva which would involve him leaving Fulham early.")
    assert best(find(claims, "Everton", "Marco Silva")).certainty == "firm"
    assert best(find(run("Everton could hold talks with Marco Silva."), "Everton", "Marco Silva")).certainty == "hedged"


def test_the_hierarchy_at_a_ground_is_its_club_and_a_wishlist_is_interest():
    claims = run("Marco Silva is also admired by the hierarchy at Goodison Park.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "interest"
    claims = run("Everton have sacked Sean Dyche. Marco Silva sits atop their wishlist to succeed him.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "interest"


def test_an_outlets_own_sources_name_the_outlet_and_a_clause_that_could_be_triggered_is_no_bid():
    claims = run("ESPN sources say that Everton have made contact with Marco Silva.")
    assert {c.source.outlet for c in find(claims, "Everton", "Marco Silva")} == {"ESPN"}
    claims = run("Everton can trigger a £5m release clause in Marco Silva's contract to bring him in.")
    assert all(c.stage != "bid" for c in find(claims, "Everton", "Marco Silva"))
    claims = run("Everton have triggered the £5m release clause in Marco Silva's contract.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "bid"


def test_a_speaker_in_a_trailing_as_he_said_clause_does_not_own_the_narrators_clause():
    text = ("Marco Silva has agreed to join Everton. Later, the Toffees unveiled Silva in a video on their channels, "
            "as the Portuguese simply said: 'Hello, Evertonians!'")
    claims = run(text)
    assert best(find(claims, "Everton", "Marco Silva", outlet="Example Gazette")).stage == "done"
    assert not [c for c in find(claims, "Everton", "Marco Silva") if c.source.journalist == "Marco Silva"]


def test_a_headline_ending_in_report_is_an_unnamed_source():
    c = best(find(run("Everton in talks with Marco Silva to replace Sean Dyche: report"), "Everton", "Marco Silva"))
    assert (c.source.journalist, c.source.outlet) == (None, None)


def test_talks_over_a_compensation_fee_are_talks_not_a_bid():
    claims = run("There has been progress in discussions between Everton and Fulham over a compensation fee for Marco Silva.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "talks"


def test_only_the_first_name_after_replace_departs_and_the_listed_candidates_are_the_vacant_clubs():
    text = ("Everton have sacked Sean Dyche after a poor run.\n\n"
            "The leading candidates to replace Dyche are Marco Silva, Thomas Frank and Kieran McKenna.")
    claims = run(text)
    for name in ("Marco Silva", "Thomas Frank", "Kieran McKenna"):
        assert best(find(claims, "Everton", name)).stage == "interest"
    assert not find(claims, "Everton", "Sean Dyche")


def test_staff_brought_in_as_assistants_assisted_by_or_joining_as_a_coach():
    base = "Everton have appointed Thomas Frank as their new manager.\n\n"
    claims = run(base + "Frank will bring in Lars Friis and Paulo De Souza as his assistants.")
    assert {c.person for c in claims if c.role == "staff" and c.club == "Everton"} == {"Lars Friis", "Paulo De Souza"}
    claims = run(base + "Frank will be assisted by Lars Friis, while Paulo De Souza joins as goalkeeping coach.")
    assert {c.person for c in claims if c.role == "staff" and c.club == "Everton"} == {"Lars Friis", "Paulo De Souza"}


def test_a_clubs_chances_of_securing_someone_are_interest():
    claims = run("This means that Everton's chances of securing Marco Silva have just been boosted.")
    assert best(find(claims, "Everton", "Marco Silva")).stage == "interest"


# -- rules-0.5: general phrasings from real news ------------------------------------------------------

def test_a_trailing_reports_outlet_frame_covers_its_sentence():
    claims = run("Mikel Arteta is set to turn down Fulham, reports the Mirror, as he is still wanted by Leeds United.")
    assert best(find(claims, "Fulham", "Mikel Arteta", None, "Mirror")).stage == "off"
    assert find(claims, "Leeds United", "Mikel Arteta", None, "Mirror")
    assert not find(claims, "Fulham", "Mikel Arteta", None, "Example Gazette")


def test_it_emerged_that_and_sources_close_to_the_matter_are_unnamed_sources():
    claims = run("Leeds United are keen on Mikel Arteta. It emerged that Arteta will reject all offers this summer.")
    off = best(find(claims, "Leeds United", "Mikel Arteta", None, None))
    assert (off.stage, off.certainty) == ("off", "firm")
    claims = run("Sources close to the matter have revealed that Fulham have initiated contact with Mikel Arteta's agent.")
    c = best(find(claims, "Fulham", "Mikel Arteta", None, None))
    assert (c.stage, c.certainty) == ("contact", "firm")


def test_a_source_named_late_after_however_does_not_take_over_the_earlier_own_voice_clause():
    claims = run("Leeds United want Mikel Arteta, however Bild have claimed that Fulham have made contact with Arteta.")
    assert best(find(claims, "Leeds United", "Mikel Arteta", None, "Example Gazette")).stage == "interest"
    assert not find(claims, "Leeds United", "Mikel Arteta", None, "Bild")
    assert best(find(claims, "Fulham", "Mikel Arteta", None, "Bild")).stage == "contact"


def test_in_a_bid_to_is_no_bid():
    c = best(run("Leeds United have spoken to Mikel Arteta's agent in a bid to land him."))
    assert c.stage == "contact"


def test_a_strategic_approach_to_something_is_no_contact():
    c = best(run("Leeds United admire Mikel Arteta's strategic approach to game management."))
    assert c.stage == "interest"


def test_willing_to_pay_compensation_with_an_expected_fee_is_no_bid():
    claims = run("Leeds United are keen on Mikel Arteta and are willing to pay compensation, with a fee of around £5m expected.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "interest"


def test_making_an_arrival_official_and_confirming_an_appointment_are_done():
    c = best(run("The board ended weeks of talks by making Mikel Arteta's arrival official at Leeds United."))
    assert c.stage == "done"
    c = best(run("Leeds United have confirmed the club's appointment of Mikel Arteta as their new head coach."))
    assert c.stage == "done"


def test_a_clubs_own_tweet_byline_is_the_clubs_announcement():
    claims = run("Mikel Arteta is the new head coach of Leeds United. — Leeds United (@LUFC) June 1, 2024")
    c = best(find(claims, "Leeds United", "Mikel Arteta", None, "Leeds United"))
    assert (c.stage, c.certainty) == ("done", "firm")


def test_turning_a_named_club_down_is_off_for_that_club_only():
    claims = run("Mikel Arteta is set to turn Leeds United down, but Fulham remain keen on him.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "off"
    assert best(find(claims, "Fulham", "Mikel Arteta")).stage == "interest"


def test_in_contention_for_jobs_such_as_clubs_is_interest():
    claims = run("Mikel Arteta is in contention for jobs such as Fulham and Chelsea.")
    assert best(find(claims, "Fulham", "Mikel Arteta")).stage == "interest"
    assert best(find(claims, "Chelsea", "Mikel Arteta")).stage == "interest"


def test_having_turned_down_many_job_offers_in_the_past_is_no_off():
    claims = run("Leeds United want Mikel Arteta. Arteta has turned down several job offers since he left Arsenal.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "interest"


def test_the_biggest_club_he_has_been_offered_a_chance_with_is_no_bid():
    claims = run("Leeds United have made contact with Mikel Arteta, and they may be the biggest club that he has been "
                 "offered a chance with.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "contact"


def test_initial_contacts_made_are_contact_and_the_outlet_clause_keeps_the_earlier_person():
    claims = run("Mikel Arteta is a leading target, and Marca have reported that initial contacts have been made by "
                 "Leeds United.")
    assert best(find(claims, "Leeds United", "Mikel Arteta", None, "Marca")).stage == "contact"
    claims = run("Leeds United have made initial contacts with Mikel Arteta.")
    assert best(claims).stage == "contact"


def test_looking_to_beat_a_rival_to_someone_is_interest_for_both_clubs():
    claims = run("Leeds United look to beat Fulham to Mikel Arteta.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "interest"
    assert best(find(claims, "Fulham", "Mikel Arteta")).stage == "interest"
    assert not find(run("Leeds United beat Fulham 2-0 on Saturday as Mikel Arteta watched on."), "Fulham", "Mikel Arteta")


def test_a_player_cited_as_an_example_is_not_a_target():
    claims = run("During the talks with Leeds United, Mikel Arteta stressed his record of developing players, "
                 "citing Bukayo Saka as an example.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "talks"
    assert not find(claims, "Leeds United", "Bukayo Saka")


def test_a_purpose_clause_to_gauge_his_interest_in_a_potential_move_does_not_hedge_the_contact():
    claims = run("Fulham have made contact with Mikel Arteta's agent to gauge his interest in a potential move.")
    c = best(find(claims, "Fulham", "Mikel Arteta"))
    assert (c.stage, c.certainty) == ("contact", "firm")


def test_other_names_mentioned_for_the_job_are_interest_of_the_club_the_story_is_about():
    claims = run("Leeds United are searching for a new manager after sacking their coach. Several other names have been "
                 "mentioned including the likes of Mikel Arteta and Thomas Frank.")
    assert best(find(claims, "Leeds United", "Mikel Arteta")).stage == "interest"
    assert best(find(claims, "Leeds United", "Thomas Frank")).stage == "interest"


def test_a_clubs_track_record_in_appointing_past_coaches_is_no_claim():
    claims = run("Leeds United have been successful in appointing young coaching talent in the form of Mikel Arteta "
                 "and Thomas Frank previously.")
    assert not find(claims, "Leeds United", "Mikel Arteta")


def test_a_club_legend_is_a_former_tie_not_his_club_now():
    # cues former_titles: "<Club> legend/great/icon/old boy <Person>" names a club he was at, not the one he is at
    for title in ("legend", "great"):
        text = f"Bournemouth have approached Arsenal {title} Patrick Vieira about their vacant manager's job."
        doc = ArticleDoc(text=text, date=DAY)
        segment(doc)
        mentions(doc)
        resolve(doc)
        assert doc.affiliations.get("Patrick Vieira") != "Arsenal"
        assert "Arsenal" in doc.former.get("Patrick Vieira", set())
        claims = run(text)
        assert find(claims, "Bournemouth", "Patrick Vieira")
        assert not find(claims, "Arsenal", "Patrick Vieira")
    # a title of his present club still states it
    doc = ArticleDoc(text="Bournemouth have approached Arsenal boss Mikel Arteta about their job.", date=DAY)
    segment(doc)
    mentions(doc)
    resolve(doc)
    assert doc.affiliations.get("Mikel Arteta") == "Arsenal"


def test_an_object_pronoun_beside_a_clubs_manager_is_the_target_not_the_manager():
    # "him" cannot be the clause's own subject, so a host (the club's manager) does not take it
    claims = run("Chelsea want Jan Kowalski. Arsenal, now managed by former Chelsea boss Mikel Arteta, have made him "
                 "an offer.")
    assert find(claims, "Arsenal", "Jan Kowalski")
    assert not find(claims, "Arsenal", "Mikel Arteta")
    # the host's own possessive still stays his: no claim for the target from "his squad"
    claims = run("Chelsea want Jan Kowalski. Arsenal boss Mikel Arteta wants to strengthen his squad.")
    assert not find(claims, "Arsenal", "Jan Kowalski")
