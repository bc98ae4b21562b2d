from livingreview.bib.names import Person, parse_names


def test_braced_names_particles_suffixes_and_organisations():
    people = parse_names(r"{van der Berg}, Anna and M{\"u}ller, J{\"o}rg and {World Health Organization} and "
                         r"Ludwig van Beethoven and King, Jr, Martin Luther")
    assert people == (
        Person(last="van der Berg", first="Anna"),
        Person(last="Müller", first="Jörg"),
        Person(last="World Health Organization", literal=True),
        Person(last="Beethoven", first="Ludwig", von="van"),
        Person(last="King", first="Martin Luther", jr="Jr"),
    )
    assert [p.display for p in people] == [
        "van der Berg, Anna", "Müller, Jörg", "World Health Organization", "van Beethoven, Ludwig", "King, Jr, Martin Luther",
    ]


def test_a_braced_group_that_is_not_the_whole_name_is_not_an_organisation():
    assert parse_names("{A} and {B} Jones") == (Person(last="A", literal=True), Person(last="Jones", first="B"))
