"""The words the demo programme is written with: personal names by country or language group,
the languages people of each group declare, cities of the partner countries, job titles and the
patterns of synthetic organisation names.

Every list is fixed and ordered, so that a `random.Random` with a fixed seed draws the same names
on every machine. All names are common given names and surnames; no real person is described.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


@dataclass(frozen=True)
class NameGroup:
    """Given names by sex and surnames of one country or language group.

    `double_surname` is the share of people carrying two surnames (Iberian and Latin American
    usage); `feminine` names the rule that turns a surname into its feminine form, where the
    language inflects surnames by sex (Slavic, Greek, Czech, Polish, Kyrgyz patronymics).
    """

    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    double_surname: float = 0.0
    feminine: str = ""


def _group(
    female: str, male: str, surnames: str, double_surname: float = 0.0, feminine: str = ""
) -> NameGroup:
    return NameGroup(_split(female), _split(male), _split(surnames), double_surname, feminine)


GROUPS: dict[str, NameGroup] = {
    # --- Partner countries -------------------------------------------------------------------
    "pt_br": _group(
        "Ana, Beatriz, Camila, Carolina, Daniela, Fernanda, Gabriela, Juliana, Larissa, Letícia, Luana, Mariana, Patrícia, Priscila, Raquel, Renata, Tatiana, Vanessa, Aline, Bruna, Cláudia, Débora, Isabela, Lívia, Natália, Simone, Thaís, Vitória",
        "André, Bruno, Carlos, Daniel, Diego, Eduardo, Felipe, Gustavo, Henrique, João, José, Leonardo, Lucas, Marcelo, Márcio, Paulo, Pedro, Rafael, Ricardo, Rodrigo, Sérgio, Thiago, Vinícius, Fábio, Gilberto, Otávio, Caio, Renato",
        "Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, Costa, Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, Barbosa, Rocha, Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, Freitas, Cardoso, Teixeira, Correia, Cavalcanti, Albuquerque, Monteiro, Araújo, Pinheiro",
        double_surname=0.35,
    ),
    "pt_cv": _group(
        "Maria, Ana, Carla, Edna, Ivone, Jandira, Kátia, Lúcia, Marisa, Nádia, Odete, Patrícia, Rosângela, Sónia, Telma, Vanda, Zenaida, Adilsa, Dulce, Eunice",
        "António, Adilson, Carlos, Domingos, Edson, Emanuel, Jailson, José, Manuel, Nélson, Osvaldo, Paulo, Pedro, Ulisses, Hélder, Márcio, Ivanildo, Jorge, Elísio, Amílcar",
        "Tavares, Monteiro, Fortes, Lopes, Semedo, Varela, Delgado, Gomes, Rodrigues, Silva, Spencer, Correia, Mendes, Barros, Cabral, Évora, Brito, Andrade, Fernandes, Moreira, Pires, Duarte, Sanches, Furtado, Ramos",
        double_surname=0.3,
    ),
    "es_la": _group(
        "María José, Ana Lucía, Andrea, Carolina, Daniela, Gabriela, Valeria, Fernanda, Paola, Mariana, Lucía, Silvia, Patricia, Rosa, Carmen, Verónica, Natalia, Adriana, Alejandra, Claudia, Karla, Lorena, Melissa, Sofía, Ximena, Yolanda, Marcela, Jimena",
        "José Luis, Juan Carlos, Carlos, Luis, Jorge, Diego, Andrés, Alejandro, Fernando, Ricardo, Roberto, Miguel, Javier, Mauricio, Óscar, Esteban, Gustavo, Rodrigo, Sergio, Héctor, Raúl, Pablo, Francisco, Manuel, Álvaro, Marco Antonio, Ernesto, Rafael",
        "González, Rodríguez, Hernández, López, Martínez, Pérez, Sánchez, Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Vargas, Mora, Jiménez, Rojas, Castro, Solís, Chaves, Quesada, Alvarado, Méndez, Guzmán, Aguilar, Benítez, Villalba, Gutiérrez, Romero, Salazar, Cruz, Morales, Ortiz, Acosta, Herrera, Medina, Peña",
        double_surname=0.6,
    ),
    "ar_mashreq": _group(
        "Rania, Lina, Dana, Rana, Hala, Maya, Nour, Layla, Sara, Reem, Hiba, Yasmin, Dima, Farah, Ruba, Samar, Mona, Amal, Nadine, Zeina, Lama, Haneen, Ghada, Suha, Manal, Asma, Salwa, Huda",
        "Mohammad, Ahmad, Khaled, Omar, Ali, Hassan, Hussein, Yousef, Ibrahim, Mahmoud, Tareq, Rami, Fadi, Karim, Ziad, Walid, Samer, Bassam, Nabil, Hani, Marwan, Imad, Osama, Faisal, Salim, Anas, Abdullah, Majed",
        "Al-Masri, Haddad, Khoury, Nasser, Al-Zoubi, Obeidat, Al-Khatib, Saleh, Hamdan, Awad, Mansour, Qasem, Hijazi, Abu Zeid, Najjar, Sabbagh, Karam, Aoun, Fakhoury, Salameh, Al-Tarawneh, Al-Majali, Bitar, Khalil, Darwish, Ghanem, Al-Sharif, Al-Obeidi, Al-Fitouri, Al-Barouni, Al-Misrati",
    ),
    "ar_ma": _group(
        "Fatima Zahra, Khadija, Salma, Imane, Meriem, Houda, Nadia, Samira, Siham, Asmaa, Hanane, Latifa, Sanaa, Ghizlane, Ikram, Loubna, Zineb, Hajar, Kawtar, Soukaina, Naima, Btissam",
        "Mohamed, Youssef, Mehdi, Karim, Hicham, Rachid, Abdelkader, Said, Mustapha, Anouar, Amine, Hamza, Othmane, Nabil, Adil, Mourad, Abdelaziz, Driss, Younes, Reda, Ayoub, Omar",
        "El Amrani, Benali, Bennani, Alaoui, Tazi, Chraibi, Berrada, El Idrissi, Ouazzani, Benjelloun, Lahlou, El Fassi, Ziani, Lamrani, Naciri, Sebti, Tahiri, El Khatib, Cherkaoui, Bensouda, Filali, Kettani, Slaoui, Rahmouni",
    ),
    "ar_tn": _group(
        "Rim, Ines, Amira, Yosra, Sonia, Olfa, Rihab, Wafa, Nesrine, Leila, Kaouthar, Emna, Sarra, Mariem, Asma, Hela, Nour, Fatma, Salma, Ons, Imen, Houda",
        "Mohamed, Sami, Walid, Anis, Skander, Hatem, Bilel, Slim, Aymen, Khalil, Mehdi, Karim, Nabil, Mourad, Hamza, Wassim, Oussama, Habib, Fethi, Seifeddine, Moez, Yassine",
        "Trabelsi, Ben Salah, Jaziri, Hammami, Gharbi, Mejri, Ben Amor, Chaabane, Jebali, Ayari, Khelifi, Dridi, Mabrouk, Sassi, Bouzid, Ben Youssef, Hamdi, Zouari, Karoui, Chebbi, Ben Ahmed, Baccouche, Belhadj, Ghanmi",
    ),
    "ky": _group(
        "Aigul, Aizhan, Gulnara, Nazira, Cholpon, Aida, Elmira, Jyldyz, Begimai, Ainura, Dinara, Kanykei, Meerim, Nurjan, Asel, Saltanat, Zhypar, Burul, Olga, Elena, Tatiana, Gulmira, Aliya, Altynai",
        "Aibek, Nurlan, Bakyt, Azamat, Ermek, Daniyar, Timur, Almaz, Kubanychbek, Talant, Ulan, Marat, Bolot, Adilet, Chyngyz, Emil, Maksat, Rustam, Eldiyar, Askar, Sergei, Aleksandr, Dmitrii, Bektur",
        "Asanov, Mamytov, Abdyldaev, Sadyrov, Toktogulov, Bakirov, Omurbekov, Isakov, Zhumabaev, Temirov, Osmonov, Kasymov, Abdrakhmanov, Sultanov, Usenov, Beishenaliev, Kadyrbekov, Sydykov, Turdubaev, Ivanov, Kuznetsov, Petrov, Pak, Kim, Bakyt uulu, Nurlan uulu, Almaz uulu",
        feminine="slavic",
    ),
    "ng": _group(
        "Ngozi, Chiamaka, Adaeze, Funmilayo, Folake, Aisha, Zainab, Amina, Blessing, Chioma, Yetunde, Bukola, Nkechi, Hauwa, Ifeoma, Temitope, Omolara, Halima, Ebere, Kemi, Fatima, Grace",
        "Chinedu, Emeka, Oluwaseun, Adebayo, Babatunde, Ibrahim, Musa, Abubakar, Tunde, Obinna, Ikechukwu, Segun, Yusuf, Uche, Femi, Kelechi, Nnamdi, Aliyu, Olumide, Sani, Tochukwu, Gbenga",
        "Okafor, Adeyemi, Okonkwo, Bello, Abubakar, Eze, Ogunleye, Nwosu, Adebayo, Ibrahim, Olawale, Mohammed, Chukwu, Obi, Balogun, Usman, Akinwale, Nnaji, Danjuma, Ojo, Lawal, Ogundipe, Umar, Nwachukwu, Ezeani",
    ),
    "gh": _group(
        "Akosua, Ama, Abena, Efua, Adwoa, Yaa, Afua, Esi, Akua, Gifty, Comfort, Mercy, Priscilla, Abigail, Nana Ama, Dzifa, Selasi, Elikem, Naa, Adjoa",
        "Kwame, Kofi, Kwabena, Kwaku, Yaw, Kojo, Kwesi, Emmanuel, Samuel, Isaac, Nii, Ebo, Fiifi, Prince, Ernest, Richard, Edem, Selorm, Daniel, Kobina",
        "Mensah, Owusu, Asante, Boateng, Osei, Appiah, Agyeman, Ofori, Addo, Amoah, Darko, Adjei, Quaye, Tetteh, Annan, Asamoah, Gyamfi, Ansah, Bonsu, Frimpong, Nkansah, Sarpong, Ampofo",
    ),
    "ke": _group(
        "Wanjiru, Achieng, Njeri, Akinyi, Wambui, Atieno, Nyambura, Chebet, Jepkosgei, Mwikali, Nafula, Kawira, Faith, Mercy, Grace, Esther, Purity, Caroline, Joy, Winnie",
        "Otieno, Kamau, Mwangi, Kiprono, Omondi, Njoroge, Kiptoo, Ochieng, Mutua, Wekesa, Kimani, Baraka, Brian, Dennis, Kevin, Collins, Evans, Peter, Samuel, John, Hassan, Abdi",
        "Otieno, Kamau, Mwangi, Odhiambo, Wanjala, Kiprotich, Mutua, Njoroge, Ochieng, Kariuki, Omondi, Wafula, Kipkemboi, Nyaga, Maina, Musyoka, Onyango, Barasa, Kibet, Korir, Gitau, Macharia, Owino",
    ),
    "fr_waf": _group(
        "Fatou, Aminata, Awa, Aïssatou, Mariama, Khady, Ndèye, Coumba, Adja, Rokhaya, Adjoua, Affoué, Akissi, Aya, Mariam, Assita, Salimata, Nafissatou, Bintou, Clarisse, Estelle, Christelle",
        "Moussa, Mamadou, Ousmane, Abdoulaye, Ibrahima, Cheikh, Modou, Babacar, Serigne, Aliou, Kouassi, Koffi, Yao, Konan, Kouadio, Jean-Baptiste, Serge, Lassina, Souleymane, Seydou, Arouna, Yves",
        "Diop, Ndiaye, Fall, Sow, Sarr, Ba, Diallo, Gueye, Faye, Mbaye, Cissé, Ndour, Thiam, Diouf, Koné, Traoré, Kouassi, Ouattara, Konan, Yao, Kouadio, Bamba, Coulibaly, Touré, Koffi, N'Guessan, Doumbia",
    ),
    "ph": _group(
        "Maria Cristina, Maricel, Rowena, Jocelyn, Lorna, Liza, Rhea, Kristine, Joanna, Angelica, Mylene, Divina, Arlene, Hazel, Czarina, Aileen, Charmaine, Maria Theresa, Rosalie, Precious",
        "Jose, Juan Miguel, Mark Anthony, Rodel, Ramon, Eduardo, Paolo, Jerome, Rommel, Renato, Arnel, Noel, Christian, Jonathan, Ariel, Ronaldo, Emmanuel, Jayson, Vicente, Romeo",
        "Reyes, Santos, Dela Cruz, Bautista, Garcia, Mendoza, Villanueva, Ramos, Aquino, Castillo, Navarro, Domingo, Soriano, Mercado, Pascual, Flores, Gonzales, Salazar, Tolentino, De Guzman, Manalo, Lim, Tan, Cruz",
    ),
    "th": _group(
        "Siriporn, Pornthip, Supaporn, Kanokwan, Nattaya, Wanida, Araya, Ratchanee, Sasithorn, Duangjai, Pimchanok, Kamolwan, Jiraporn, Suda, Benjamas, Orathai, Thanyarat, Nipaporn, Malee, Chutima",
        "Somchai, Somsak, Anan, Wichai, Prasert, Thanawat, Kittisak, Surachai, Niran, Chaiwat, Sombat, Nattapong, Pongsakorn, Teerawat, Weerasak, Apichart, Sakchai, Boonmee, Tanakorn, Jirayu",
        "Srisuk, Chaiyaporn, Wongsawat, Saetang, Thongsuk, Kaewkla, Rattanaphon, Suwannarat, Phromsri, Boonyarat, Kongkaew, Chantharasri, Sukjai, Wattanasin, Intharasombat, Sirisombat, Jaidee, Pattanakul, Maneerat, Nakprasert, Chaisiri, Saengthong, Somboon",
    ),
    "lk": _group(
        "Chamari, Dilani, Nirosha, Sanduni, Thilini, Kumari, Anoma, Sachini, Nadeesha, Chathurika, Dinusha, Hasini, Ishara, Malsha, Piumi, Rasika, Shanika, Tharushi, Lakmini, Priyanka",
        "Nimal, Kasun, Chaminda, Pradeep, Ruwan, Saman, Dinesh, Lasantha, Nuwan, Tharindu, Chamara, Asanka, Mahesh, Sampath, Janaka, Isuru, Suresh, Roshan, Dilshan, Buddhika",
        "Perera, Fernando, Silva, Jayasinghe, Wickramasinghe, Bandara, Gunawardena, Dissanayake, Herath, Kumara, Ranasinghe, Senanayake, Weerasinghe, Jayawardena, Amarasinghe, Karunaratne, Wijesinghe, Rathnayake, Ekanayake, Liyanage, Samarasinghe",
    ),
    "bd": _group(
        "Nusrat, Farhana, Sharmin, Tahmina, Nasrin, Rokeya, Shirin, Sumaiya, Tasnim, Jannatul, Afroza, Sabina, Mahmuda, Rumana, Fahmida, Laila, Shabnam, Nazia, Dilruba, Rupa",
        "Tanvir, Arif, Mahbub, Rafiq, Shahidul, Kamrul, Mizanur, Habibur, Jahangir, Sohel, Rezaul, Anisur, Mostafa, Nazmul, Saiful, Rakib, Faisal, Imran, Ashraf, Zahid",
        "Rahman, Hossain, Islam, Ahmed, Chowdhury, Uddin, Khan, Alam, Haque, Miah, Sarkar, Das, Biswas, Karim, Talukder, Siddique, Mahmud, Bhuiyan, Majumder, Roy",
    ),
    "vn": _group(
        "Thị Lan, Thị Hương, Thị Mai, Thu Trang, Ngọc Anh, Thanh Hà, Minh Thư, Thị Hoa, Phương Linh, Thị Nga, Thùy Dung, Bích Ngọc, Hồng Nhung, Thanh Huyền, Kim Oanh, Thị Thảo, Mai Anh, Diệu Linh, Thị Yến, Lan Phương",
        "Văn Hùng, Văn Nam, Minh Tuấn, Quang Huy, Đức Anh, Văn Long, Hoàng Nam, Thanh Tùng, Văn Thắng, Mạnh Hùng, Quốc Bảo, Trung Kiên, Văn Dũng, Hữu Phước, Minh Đức, Văn Toàn, Anh Tuấn, Công Minh, Xuân Trường, Đình Khoa",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đinh, Trịnh, Mai, Cao",
    ),
    "ka": _group(
        "Nino, Tamar, Ana, Mariam, Ketevan, Natia, Salome, Eka, Maia, Tinatin, Lela, Nana, Khatia, Sopho, Tamta, Manana, Irina, Lika, Nato, Elene",
        "Giorgi, Davit, Levan, Irakli, Nikoloz, Zurab, Lasha, Tornike, Luka, Aleksandre, Vakhtang, Shota, Otar, Gela, Mamuka, Beka, Tengiz, Revaz, Sandro, Archil",
        "Beridze, Kapanadze, Gelashvili, Maisuradze, Lomidze, Tsiklauri, Giorgadze, Nozadze, Mikeladze, Abashidze, Bolkvadze, Chikovani, Japaridze, Tabatadze, Kiknadze, Dolidze, Meladze, Gogoladze, Jorjadze, Kharaishvili, Natsvlishvili, Mchedlishvili, Chkheidze",
    ),
    "hy": _group(
        "Anahit, Ani, Lilit, Armine, Gayane, Nune, Mariam, Hasmik, Siranush, Tatevik, Astghik, Lusine, Narine, Karine, Anush, Syuzanna, Zaruhi, Arpine, Meri, Sona",
        "Armen, Aram, Tigran, Davit, Hayk, Vahe, Gor, Narek, Karen, Arman, Ashot, Samvel, Hovhannes, Levon, Artur, Ruben, Gevorg, Suren, Edgar, Vardan",
        "Petrosyan, Hovhannisyan, Sargsyan, Grigoryan, Harutyunyan, Hakobyan, Khachatryan, Vardanyan, Karapetyan, Gevorgyan, Mkrtchyan, Avetisyan, Poghosyan, Ghazaryan, Manukyan, Simonyan, Martirosyan, Mnatsakanyan, Aghajanyan, Davtyan, Galstyan, Baghdasaryan",
    ),
    "ro": _group(
        "Maria, Elena, Ioana, Andreea, Ana, Mihaela, Cristina, Alina, Gabriela, Diana, Irina, Raluca, Adriana, Daniela, Corina, Oana, Natalia, Tatiana, Victoria, Lilia, Doina, Silvia",
        "Ion, Andrei, Alexandru, Mihai, Vasile, Gheorghe, Ștefan, Florin, Adrian, Bogdan, Cristian, Dumitru, Radu, Sergiu, Victor, Nicolae, Vlad, Dorin, Octavian, Igor, Valeriu, Petru",
        "Popescu, Ionescu, Popa, Rusu, Ciobanu, Munteanu, Stan, Dumitru, Constantin, Ceban, Lungu, Cojocaru, Moraru, Țurcanu, Botnaru, Sârbu, Stoica, Matei, Vasilescu, Marin, Toma, Dobre, Gheorghiu, Rotaru, Lupu, Croitoru",
    ),
    "sq": _group(
        "Elira, Anila, Blerta, Drita, Ermira, Fatjona, Mirela, Jonida, Klodiana, Arjola, Rovena, Besa, Entela, Ilda, Majlinda, Brunilda, Elona, Dorina, Alketa, Valbona",
        "Arben, Ilir, Gentian, Erion, Artan, Besnik, Dritan, Fatmir, Klodian, Luan, Altin, Endrit, Erald, Genci, Arjan, Edmond, Olsi, Saimir, Ardit, Blerim",
        "Hoxha, Dervishi, Shehu, Leka, Gjoka, Cela, Hysa, Kola, Marku, Prifti, Duka, Gjini, Kastrati, Xhafa, Bregu, Zeneli, Mema, Lika, Troka, Sula, Dema",
    ),
    # --- EU Member States (experts, programme staff) ----------------------------------------
    "de": _group(
        "Anna, Katharina, Julia, Sabine, Claudia, Stefanie, Christina, Laura, Lena, Sarah, Andrea, Birgit, Monika, Franziska, Johanna, Miriam, Nicole, Susanne, Verena, Theresa, Ulrike",
        "Thomas, Michael, Andreas, Stefan, Markus, Christian, Alexander, Martin, Florian, Tobias, Matthias, Sebastian, Jan, Daniel, Klaus, Jürgen, Wolfgang, Lukas, Georg, Felix, Maximilian",
        "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch, Richter, Bauer, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Hofmann, Krüger, Hartmann, Lange, Werner, Huber, Gruber, Steiner, Mayer, Moser, Pichler, Eder",
    ),
    "fr": _group(
        "Marie, Sophie, Camille, Claire, Julie, Isabelle, Nathalie, Céline, Aurélie, Émilie, Charlotte, Élise, Hélène, Caroline, Anne, Mathilde, Pauline, Léa, Sandrine, Virginie",
        "Pierre, Jean, Nicolas, Julien, Thomas, Guillaume, Antoine, François, Laurent, Olivier, Sébastien, Mathieu, Vincent, Philippe, Stéphane, Benoît, Alexandre, Christophe, Damien, Romain",
        "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefebvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, Lambert, Bonnet, Mercier, Dupont, Lemaire, Renard, Dumont, Fontaine",
    ),
    "nl": _group(
        "Anouk, Sanne, Lotte, Eva, Femke, Marieke, Inge, Els, Lieve, Sofie, Annelies, Nathalie, Kim, Wendy, Ilse, Marloes, Hanneke, Lisa, Esther, Karlijn",
        "Jeroen, Bram, Pieter, Wouter, Thijs, Sander, Joris, Koen, Stijn, Bart, Tom, Maarten, Niels, Ruben, Dirk, Jan, Lars, Erik, Tim, Frederik",
        "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssens, Visser, Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peeters, Hendriks, Dekker, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, Van Damme, Verhoeven, Vermeulen",
    ),
    "es_es": _group(
        "Lucía, María, Carmen, Laura, Elena, Marta, Cristina, Pilar, Isabel, Nuria, Montserrat, Beatriz, Raquel, Irene, Sara, Alba, Rocío, Ainhoa, Inmaculada, Teresa",
        "Javier, Daniel, Pablo, Alberto, Sergio, Jorge, Francisco, Antonio, Manuel, Juan, Álvaro, Iñaki, Jordi, Ignacio, Rubén, Enrique, Fernando, Miguel Ángel, Rafael, Carlos",
        "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Navarro, Torres, Domínguez, Gil, Vázquez, Serrano, Ramos, Blanco, Molina, Castillo, Ortega, Rubio, Sanz, Iglesias, Garrido",
        double_surname=0.6,
    ),
    "it": _group(
        "Giulia, Francesca, Chiara, Sara, Martina, Valentina, Alessandra, Federica, Elena, Silvia, Laura, Paola, Roberta, Simona, Elisa, Beatrice, Claudia, Ilaria, Marta, Serena",
        "Marco, Alessandro, Andrea, Luca, Matteo, Francesco, Giuseppe, Giovanni, Stefano, Davide, Lorenzo, Paolo, Roberto, Simone, Fabio, Massimo, Riccardo, Antonio, Daniele, Nicola",
        "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone",
    ),
    "pt_pt": _group(
        "Ana, Inês, Joana, Catarina, Mariana, Sofia, Rita, Sara, Marta, Teresa, Filipa, Beatriz, Cláudia, Helena, Patrícia, Raquel, Susana, Carla, Leonor, Margarida",
        "João, Pedro, Miguel, Tiago, Rui, Nuno, Luís, Ricardo, Bruno, Paulo, André, Gonçalo, Diogo, Hugo, Francisco, José, Manuel, Duarte, Vasco, Henrique",
        "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Fernandes, Gonçalves, Gomes, Lopes, Marques, Alves, Almeida, Ribeiro, Pinto, Carvalho, Teixeira, Moreira, Correia, Mendes, Nunes, Soares, Vieira, Monteiro, Cardoso, Rocha, Neves, Coelho",
        double_surname=0.5,
    ),
    "pl": _group(
        "Anna, Katarzyna, Małgorzata, Agnieszka, Magdalena, Joanna, Aleksandra, Monika, Ewa, Karolina, Natalia, Marta, Justyna, Beata, Dorota, Paulina, Zofia, Barbara, Izabela, Weronika",
        "Piotr, Krzysztof, Tomasz, Paweł, Michał, Marcin, Jakub, Łukasz, Grzegorz, Adam, Marek, Andrzej, Rafał, Mateusz, Kamil, Wojciech, Bartosz, Dariusz, Jan, Szymon",
        "Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowakowski, Pawłowski, Michalski, Zając, Król, Wieczorek, Jabłoński, Wróbel, Majewski, Olszewski, Stępień, Malinowski",
        feminine="polish",
    ),
    "sv": _group(
        "Anna, Eva, Maria, Karin, Sara, Emma, Johanna, Linnea, Elin, Maja, Ingrid, Malin, Sofia, Kristina, Helena, Frida, Ida, Lena, Cecilia, Annika",
        "Erik, Lars, Anders, Johan, Per, Karl, Nils, Mikael, Fredrik, Magnus, Henrik, Oskar, Gustav, Jonas, Daniel, Mattias, Björn, Olof, Axel, Viktor",
        "Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, Svensson, Gustafsson, Pettersson, Jonsson, Jansson, Hansson, Bengtsson, Lindberg, Berg, Holm, Sjöberg, Lund, Ekström, Nyström, Björk, Wallin",
    ),
    "fi": _group(
        "Anna, Maria, Laura, Johanna, Hanna, Emilia, Sanna, Riikka, Tiina, Katja, Minna, Heidi, Elina, Noora, Aino, Satu, Päivi, Kaisa, Outi, Veera",
        "Mikko, Juha, Timo, Matti, Antti, Jukka, Ville, Janne, Petri, Sami, Jari, Kari, Pekka, Tuomas, Heikki, Markku, Olli, Lauri, Eero, Jussi",
        "Korhonen, Virtanen, Mäkinen, Nieminen, Mäkelä, Hämäläinen, Laine, Heikkinen, Koskinen, Järvinen, Lehtonen, Lehtinen, Saarinen, Salminen, Heinonen, Niemi, Heikkilä, Kinnunen, Salonen, Turunen, Lindholm, Rantanen, Karjalainen, Jokinen",
    ),
    "el": _group(
        "Maria, Eleni, Aikaterini, Vasiliki, Sofia, Georgia, Dimitra, Angeliki, Ioanna, Konstantina, Panagiota, Christina, Despina, Eirini, Anastasia, Athina, Theodora, Evangelia, Zoi, Chrysoula",
        "Georgios, Dimitrios, Konstantinos, Ioannis, Nikolaos, Panagiotis, Vasileios, Christos, Athanasios, Michail, Evangelos, Spyridon, Antonios, Alexandros, Stavros, Theodoros, Andreas, Kyriakos, Petros, Emmanouil",
        "Papadopoulos, Papadakis, Georgiou, Nikolaidis, Konstantinidis, Oikonomou, Makris, Vlachos, Dimitriou, Ioannidis, Papageorgiou, Karagiannis, Athanasiou, Christodoulou, Pappas, Alexiou, Antoniou, Michailidis, Vasileiou, Stavrou, Theodorou, Georgiadis, Panagiotopoulos, Kyriakou, Charalambous, Petridis",
        feminine="greek",
    ),
    "cs": _group(
        "Jana, Eva, Hana, Lucie, Petra, Kateřina, Lenka, Veronika, Martina, Tereza, Markéta, Michaela, Zuzana, Barbora, Klára, Alena, Monika, Pavla, Simona, Ivana",
        "Jan, Petr, Jiří, Pavel, Martin, Tomáš, Jakub, Lukáš, Josef, Michal, David, Ondřej, Karel, Vojtěch, Filip, Radek, Miroslav, Zdeněk, Aleš, Vladimír",
        "Novák, Svoboda, Novotný, Dvořák, Černý, Procházka, Kučera, Veselý, Horák, Pokorný, Pospíšil, Král, Růžička, Beneš, Fiala, Doležal, Zeman, Kolář, Navrátil, Čermák, Urban, Polák, Musil, Bartoš",
        feminine="czech",
    ),
    "mt": _group(
        "Maria, Rebecca, Claire, Sarah, Daniela, Nicole, Rachel, Graziella, Roberta, Marthese, Charmaine, Stephanie, Anne Marie, Josianne, Ramona, Elaine, Miriam, Doreen, Carmen, Justine",
        "Joseph, John, Mark, Paul, David, Christopher, Matthew, Jean Paul, Kurt, Clayton, Adrian, Keith, Nicholas, Simon, Karl, Ryan, Stephen, Andrew, Luke, Michael",
        "Borg, Camilleri, Vella, Farrugia, Zammit, Galea, Micallef, Grech, Attard, Spiteri, Azzopardi, Mifsud, Agius, Pace, Caruana, Fenech, Sammut, Cassar, Buttigieg, Debono, Ellul, Xuereb, Schembri, Cutajar, Abela",
    ),
    "ie": _group(
        "Aoife, Siobhán, Niamh, Ciara, Sinéad, Orla, Gráinne, Emma, Sarah, Claire, Laura, Róisín, Deirdre, Caoimhe, Aisling, Fiona, Maeve, Áine, Catherine, Eimear",
        "Seán, Conor, Ciarán, Patrick, Declan, Eoin, Cian, Liam, Darragh, Brian, Kevin, Niall, Colm, Donal, Fergal, Cathal, Padraig, Michael, John, Ronan",
        "Murphy, Kelly, O'Sullivan, Walsh, Smith, O'Brien, Byrne, Ryan, O'Connor, O'Neill, O'Reilly, Doyle, McCarthy, Gallagher, O'Doherty, Kennedy, Lynch, Murray, Quinn, Moore, McLoughlin, O'Carroll, Connolly, Daly, Brennan, Fitzgerald",
    ),
}

# Which name group(s) people of a country are drawn from (several: drawn at random, e.g. Belgium).
COUNTRY_GROUPS: dict[str, tuple[str, ...]] = {
    "BR": ("pt_br",),
    "CV": ("pt_cv",),
    **dict.fromkeys(("CR", "SV", "AR", "BO", "PY", "MX", "EC", "GT", "CO"), ("es_la",)),
    **dict.fromkeys(("JO", "LB", "LY"), ("ar_mashreq",)),
    "MA": ("ar_ma",),
    "TN": ("ar_tn",),
    "KG": ("ky",),
    "NG": ("ng",),
    "GH": ("gh",),
    "KE": ("ke",),
    "SN": ("fr_waf",),
    "CI": ("fr_waf",),
    "PH": ("ph",),
    "TH": ("th",),
    "LK": ("lk",),
    "BD": ("bd",),
    "VN": ("vn",),
    "GE": ("ka",),
    "AM": ("hy",),
    "MD": ("ro",),
    "AL": ("sq",),
    "AT": ("de",),
    "DE": ("de",),
    "FR": ("fr",),
    "LU": ("fr",),
    "BE": ("nl", "fr"),
    "NL": ("nl",),
    "ES": ("es_es",),
    "IT": ("it",),
    "PT": ("pt_pt",),
    "PL": ("pl",),
    "SE": ("sv",),
    "FI": ("fi",),
    "GR": ("el",),
    "CY": ("el",),
    "RO": ("ro",),
    "CZ": ("cs",),
    "MT": ("mt",),
    "IE": ("ie",),
}

# Languages people of a group declare: (ISO 639-1, CEFR levels to draw from, probability).
# The first entry is the mother tongue and is always present.
Languages = tuple[tuple[str, tuple[str, ...], float], ...]
_N = ("native",)
_WEAK = ("A2", "B1", "B2")
_GOOD = ("B1", "B2", "C1")
_STRONG = ("B2", "C1", "C2")
_FLUENT = ("C1", "C2")

GROUP_LANGUAGES: dict[str, Languages] = {
    "pt_br": (("pt", _N, 1), ("en", _GOOD, 0.6), ("es", _WEAK, 0.4)),
    "pt_cv": (("pt", _N, 1), ("fr", _WEAK, 0.4), ("en", _WEAK, 0.4)),
    "es_la": (("es", _N, 1), ("en", _GOOD, 0.6), ("pt", _WEAK, 0.15)),
    "ar_mashreq": (("ar", _N, 1), ("en", _STRONG, 0.8), ("fr", _GOOD, 0.25)),
    "ar_ma": (("ar", _N, 1), ("fr", _FLUENT, 0.9), ("en", _GOOD, 0.5)),
    "ar_tn": (("ar", _N, 1), ("fr", _FLUENT, 0.9), ("en", _GOOD, 0.5)),
    "ky": (("ky", _N, 1), ("ru", _FLUENT, 0.95), ("en", _WEAK, 0.4)),
    "ng": (("en", ("C2",), 1), ("fr", ("A2", "B1"), 0.15)),
    "gh": (("en", ("C2",), 1), ("fr", ("A2", "B1"), 0.3)),
    "ke": (("sw", _N, 1), ("en", _FLUENT, 1)),
    "fr_waf": (("fr", ("C2",), 1), ("en", _WEAK, 0.5), ("ar", ("A2", "B1"), 0.1)),
    "ph": (("en", _FLUENT, 1), ("es", ("A2",), 0.05)),
    "th": (("th", _N, 1), ("en", _GOOD, 0.7)),
    "lk": (("en", _STRONG, 1),),
    "bd": (("bn", _N, 1), ("en", _GOOD, 0.8), ("ar", ("A2",), 0.1)),
    "vn": (("vi", _N, 1), ("en", _GOOD, 0.7), ("fr", ("A2", "B1"), 0.1)),
    "ka": (("ka", _N, 1), ("ru", _STRONG, 0.6), ("en", _GOOD, 0.7)),
    "hy": (("hy", _N, 1), ("ru", _FLUENT, 0.85), ("en", _GOOD, 0.6)),
    "ro": (("ro", _N, 1), ("en", _STRONG, 0.8), ("fr", _GOOD, 0.35), ("ru", _GOOD, 0.3)),
    "sq": (("en", _STRONG, 1), ("it", _GOOD, 0.5)),
    "de": (("de", _N, 1), ("en", _STRONG, 1), ("fr", _GOOD, 0.3)),
    "fr": (("fr", _N, 1), ("en", _STRONG, 1), ("es", _GOOD, 0.3)),
    "nl": (("nl", _N, 1), ("en", _FLUENT, 1), ("fr", _GOOD, 0.5), ("de", _GOOD, 0.3)),
    "es_es": (("es", _N, 1), ("en", _STRONG, 1), ("fr", _GOOD, 0.3)),
    "it": (("it", _N, 1), ("en", _STRONG, 1), ("fr", _GOOD, 0.3)),
    "pt_pt": (("pt", _N, 1), ("en", _STRONG, 1), ("es", _STRONG, 0.5), ("fr", _GOOD, 0.3)),
    "pl": (("pl", _N, 1), ("en", _STRONG, 1), ("ru", _GOOD, 0.3)),
    "sv": (("sv", _N, 1), ("en", _FLUENT, 1), ("de", _WEAK, 0.3)),
    "fi": (("fi", _N, 1), ("en", _FLUENT, 1), ("sv", _GOOD, 0.7)),
    "el": (("el", _N, 1), ("en", _STRONG, 1), ("fr", _GOOD, 0.3)),
    "cs": (("cs", _N, 1), ("en", _STRONG, 1), ("de", _GOOD, 0.4)),
    "mt": (("en", ("C2",), 1), ("it", _GOOD, 0.7)),
    "ie": (("en", _N, 1), ("fr", _GOOD, 0.4)),
}


def _feminine(surname: str, rule: str) -> str:
    """The feminine form of a surname in languages that inflect surnames by sex."""
    if rule == "slavic":
        if surname.endswith(" uulu"):
            return surname[: -len("uulu")] + "kyzy"
        if surname.endswith(("ov", "ev", "in")):
            return surname + "a"
    elif rule == "polish":
        if surname.endswith(("ski", "cki", "dzki")):
            return surname[:-1] + "a"
    elif rule == "greek":
        if surname.endswith("ous"):
            return surname
        if surname.endswith("os"):
            return surname[:-1] + "u"
        if surname.endswith(("is", "as")):
            return surname[:-1]
    elif rule == "czech":
        if surname.endswith("ý"):
            return surname[:-1] + "á"
        if surname.endswith("a"):
            return surname[:-1] + "ová"
        return surname + "ová"
    return surname


def group_for(country: str, rng: random.Random) -> str:
    """The name group of someone from `country` (drawn when the country has several)."""
    groups = COUNTRY_GROUPS.get(country, ("ie",))
    return groups[0] if len(groups) == 1 else rng.choice(groups)


def draw_name(rng: random.Random, group: str, sex: str) -> tuple[str, str]:
    """A (first name, last name) pair for someone of `group` and `sex` ("F" or "M")."""
    g = GROUPS[group]
    first = rng.choice(g.female if sex == "F" else g.male)
    last = rng.choice(g.surnames)
    if g.double_surname and rng.random() < g.double_surname:
        second = rng.choice(g.surnames)
        if second != last:
            last = f"{last} {second}"
    if sex == "F" and g.feminine:  # groups with inflected surnames never draw two of them
        last = _feminine(last, g.feminine)
    return first, last


def draw_languages(rng: random.Random, group: str) -> tuple[tuple[str, str], ...]:
    """The languages (code, CEFR level) someone of `group` declares."""
    out = []
    for i, (code, levels, probability) in enumerate(GROUP_LANGUAGES[group]):
        if i == 0 or rng.random() < probability:
            out.append((code, rng.choice(levels)))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """An ASCII e-mail-safe form of a name: "João da Silva" -> "joao-da-silva"."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ł", "l").replace("Ł", "L")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --- Places ------------------------------------------------------------------------------------

CITIES: dict[str, tuple[str, ...]] = {
    "BR": _split(
        "Brasília, São Paulo, Rio de Janeiro, Manaus, Boa Vista, Porto Alegre, Recife, Foz do Iguaçu"
    ),
    "CR": _split("San José, Alajuela, Liberia, Limón, Puntarenas, Cartago"),
    "SV": _split("San Salvador, Santa Ana, San Miguel, La Libertad, Sonsonate"),
    "AR": _split("Buenos Aires, Córdoba, Rosario, Resistencia, Salta, Mendoza"),
    "BO": _split("La Paz, Santa Cruz de la Sierra, Cochabamba, Tarija, Sucre"),
    "PY": _split("Asunción, Ciudad del Este, Encarnación, Filadelfia, Concepción"),
    "MX": _split("Ciudad de México, Tapachula, Tijuana, Monterrey, Guadalajara, Mérida"),
    "EC": _split("Quito, Guayaquil, Cuenca, Tulcán, Huaquillas"),
    "GT": _split("Ciudad de Guatemala, Quetzaltenango, Escuintla, Huehuetenango, Puerto Barrios"),
    "CO": _split("Bogotá, Cúcuta, Medellín, Cali, Barranquilla, Ipiales"),
    "KG": _split("Bishkek, Osh, Jalal-Abad, Karakol, Naryn, Batken"),
    "JO": _split("Amman, Irbid, Zarqa, Mafraq, Aqaba"),
    "LB": _split("Beirut, Tripoli, Sidon, Zahle, Tyre"),
    "LY": _split("Tripoli, Benghazi, Misrata, Sabha, Zawiya"),
    "MA": _split("Rabat, Casablanca, Tanger, Fès, Oujda, Agadir, Marrakech"),
    "TN": _split("Tunis, Sfax, Sousse, Médenine, Gabès, Bizerte"),
    "NG": _split("Abuja, Lagos, Kano, Port Harcourt, Ibadan, Enugu"),
    "GH": _split("Accra, Kumasi, Tamale, Takoradi, Cape Coast"),
    "KE": _split("Nairobi, Mombasa, Kisumu, Nakuru, Eldoret, Garissa"),
    "SN": _split("Dakar, Saint-Louis, Thiès, Ziguinchor, Kaolack, Tambacounda"),
    "CI": _split("Abidjan, Yamoussoukro, Bouaké, San-Pédro, Korhogo"),
    "CV": _split("Praia, Mindelo, Espargos, Assomada"),
    "PH": _split("Manila, Quezon City, Cebu City, Davao City, Iloilo City"),
    "TH": _split("Bangkok, Chiang Mai, Mae Sot, Khon Kaen, Songkhla, Udon Thani"),
    "LK": _split("Colombo, Kandy, Galle, Jaffna, Kurunegala"),
    "BD": _split("Dhaka, Chattogram, Sylhet, Khulna, Rajshahi"),
    "VN": _split("Hanoi, Ho Chi Minh City, Da Nang, Hai Phong, Can Tho"),
    "GE": _split("Tbilisi, Batumi, Kutaisi, Rustavi, Zugdidi"),
    "AM": _split("Yerevan, Gyumri, Vanadzor, Meghri, Ijevan"),
    "MD": _split("Chișinău, Bălți, Cahul, Comrat, Ungheni"),
    "AL": _split("Tirana, Durrës, Shkodër, Vlorë, Korçë, Gjirokastër"),
}

# The working language of a partner country's administration, for job titles and org names.
ADMIN_LANGUAGE: dict[str, str] = {
    **dict.fromkeys(("BR", "CV"), "pt"),
    **dict.fromkeys(("CR", "SV", "AR", "BO", "PY", "MX", "EC", "GT", "CO"), "es"),
    **dict.fromkeys(("MA", "TN", "SN", "CI"), "fr"),
}


def admin_language(country: str) -> str:
    return ADMIN_LANGUAGE.get(country, "en")


# --- Job titles ("masculine|feminine" where the language inflects them) -----------------------

POSITIONS: dict[str, tuple[str, ...]] = {
    "pt": (
        "Analista de migração",
        "Agente administrativo|Agente administrativa",
        "Coordenador de capacitação|Coordenadora de capacitação",
        "Assessor internacional|Assessora internacional",
        "Técnico em assuntos migratórios|Técnica em assuntos migratórios",
        "Chefe de divisão",
        "Instrutor|Instrutora",
        "Assistente social",
    ),
    "es": (
        "Oficial de migración",
        "Inspector migratorio|Inspectora migratoria",
        "Jefe de unidad de capacitación|Jefa de unidad de capacitación",
        "Asesor jurídico|Asesora jurídica",
        "Técnico de protección internacional|Técnica de protección internacional",
        "Analista de políticas migratorias",
        "Coordinador regional|Coordinadora regional",
        "Oficial consular",
        "Capacitador|Capacitadora",
    ),
    "fr": (
        "Chargé de mission|Chargée de mission",
        "Agent des migrations|Agente des migrations",
        "Chef de service|Cheffe de service",
        "Conseiller juridique|Conseillère juridique",
        "Inspecteur du travail|Inspectrice du travail",
        "Responsable de la formation",
        "Attaché consulaire|Attachée consulaire",
        "Analyste des politiques migratoires",
    ),
    "en": (
        "Migration officer",
        "Senior immigration officer",
        "Consular officer",
        "Head of training unit",
        "Labour migration officer",
        "Legal officer",
        "Policy analyst",
        "Border management officer",
        "Refugee status determination officer",
        "Anti-trafficking investigator",
        "Training officer",
    ),
}

# The title of the person heading an organisation's international cooperation (its usual
# contact point for capdev), and of the head of a training institution.
HEAD_OF_COOPERATION: dict[str, str] = {
    "pt": "Chefe da Assessoria Internacional",
    "es": "Jefe de Cooperación Internacional|Jefa de Cooperación Internacional",
    "fr": "Chef de la coopération internationale|Cheffe de la coopération internationale",
    "en": "Head of International Cooperation",
}
HEAD_OF_TRAINING: dict[str, str] = {
    "pt": "Diretor da Escola|Diretora da Escola",
    "es": "Director académico|Directora académica",
    "fr": "Directeur des études|Directrice des études",
    "en": "Head of training unit",
}

HEAD_OF_CIVIL_SOCIETY: dict[str, str] = {
    "pt": "Coordenador executivo|Coordenadora executiva",
    "es": "Coordinador general|Coordinadora general",
    "fr": "Coordinateur|Coordinatrice",
    "en": "Executive coordinator",
}

EXPERT_POSITIONS: tuple[str, ...] = (
    "Senior asylum caseworker",
    "Head of unit, return and readmission",
    "Policy officer, legal migration",
    "Trainer, asylum procedures",
    "Country-of-origin information analyst",
    "Legal adviser, international protection",
    "Consular affairs officer",
    "Labour migration specialist",
    "Anti-trafficking coordinator",
    "Border management expert",
    "Integration policy officer",
    "Head of training",
    "Quality assurance officer, asylum decisions",
    "Senior diplomat, consular crisis management",
    "Reception conditions coordinator",
    "Migration data analyst",
    "Instructional designer, e-learning",
)


def gendered(title: str, sex: str) -> str:
    """Pick the masculine or feminine form of a "masculine|feminine" job title."""
    if "|" not in title:
        return title
    masculine, feminine = title.split("|", 1)
    return feminine if sex == "F" else masculine


# --- Synthetic organisation names: (organisation type, pattern) per administrative language ---

ORG_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "pt": (
        ("partner", "Superintendência Regional de Migração em {city}"),
        ("partner", "Defensoria Pública Regional de {city}"),
        ("partner", "Núcleo de Atendimento a Migrantes e Refugiados de {city}"),
        ("training", "Escola de Governo de {city}"),
        ("partner", "Delegacia de Imigração de {city}"),
        ("training", "Centro de Formação em Migrações de {city}"),
        ("partner", "Secretaria Municipal de Direitos Humanos de {city}"),
        ("partner", "Coordenação Estadual de Políticas para Migrantes, {city}"),
    ),
    "es": (
        ("partner", "Delegación Regional de Migración de {city}"),
        ("partner", "Oficina de Atención al Migrante de {city}"),
        ("training", "Escuela de Formación Migratoria de {city}"),
        ("partner", "Dirección Departamental de Trabajo de {city}"),
        ("partner", "Unidad de Protección a Refugiados, {city}"),
        ("training", "Instituto de Capacitación de la Administración Pública, {city}"),
        ("partner", "Oficina Regional de Salud de {city}"),
        ("partner", "Defensoría Regional de {city}"),
    ),
    "fr": (
        ("partner", "Direction régionale de la migration de {city}"),
        ("partner", "Bureau régional des affaires consulaires, {city}"),
        ("training", "Centre de formation des fonctionnaires de {city}"),
        ("partner", "Délégation régionale de l'emploi de {city}"),
        ("partner", "Cellule de lutte contre la traite des êtres humains, {city}"),
        ("training", "Institut régional d'administration de {city}"),
        ("partner", "Antenne régionale de l'Office des migrations, {city}"),
    ),
    "en": (
        ("partner", "Regional Immigration Office, {city}"),
        ("partner", "{city} Regional Labour Migration Directorate"),
        ("training", "Public Service Training Institute, {city}"),
        ("partner", "Anti-Trafficking Unit, {city}"),
        ("partner", "Refugee Affairs Office, {city}"),
        ("training", "Migration Training Centre, {city}"),
        ("partner", "Provincial Department of Foreign Employment, {city}"),
        ("partner", "Border Management Directorate, {city} Region"),
    ),
}


# --- The named programme -----------------------------------------------------------------------
# Organisation types are the values of organisations.models.OrganisationType.
PARTNER = "partner"
TRAINING = "training"
IMPLEMENTING = "implementing"
DONOR = "donor"
CIVIL_SOCIETY = "civil_society"
MEMBER_STATE = "member_state"


@dataclass(frozen=True)
class OrgSpec:
    """An organisation to load, identified by its demo key."""

    key: str
    name: str
    type: str
    country: str | None
    acronym: str = ""
    parent: str | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    description: str = ""
    domain: str = ""  # where its people's e-mail addresses live
    people: int = 0  # members generated besides those written out (keys <key>-01, -02, ...)
    positions: tuple[str, ...] = ()  # job titles for generated members (default: by language)


@dataclass(frozen=True)
class PersonSpec:
    """A person to load, identified by its demo key."""

    key: str
    first_name: str
    last_name: str
    sex: str
    nationality: str
    org: str
    position: str = ""
    email: str = ""
    languages: tuple[tuple[str, str], ...] = ()


def _org(
    key: str,
    name: str,
    acronym: str,
    type: str,
    country: str,
    domain: str,
    phone: str = "",
    address: str = "",
    *,
    parent: str | None = None,
    people: int = 0,
    description: str = "",
    positions: tuple[str, ...] = (),
) -> OrgSpec:
    return OrgSpec(
        key=key,
        name=name,
        acronym=acronym,
        type=type,
        country=country,
        parent=parent,
        website=f"https://www.{domain}",
        email=f"info@{domain}",
        phone=phone,
        address=address,
        description=description,
        domain=domain,
        people=people,
        positions=positions,
    )


def _person(
    key: str,
    first: str,
    last: str,
    sex: str,
    nationality: str,
    org: str,
    position: str,
    email: str,
    *languages: str,
) -> PersonSpec:
    langs = tuple((code, level) for code, _colon, level in (item.partition(":") for item in languages))
    return PersonSpec(key, first, last, sex, nationality, org, position, email, langs)


# Parents come before their children. Telephone numbers and domains are fictional (.example).
# fmt: off
PROGRAMME_ORGS: tuple[OrgSpec, ...] = (
    _org("icmpd", "International Centre for Migration Policy Development", "ICMPD", IMPLEMENTING, "AT", "icmpd.example", "+43 1 504 0000", "Gonzagagasse 1, 1010 Vienna, Austria", description="Implements the capacity-development facility for partner authorities (MIEUX+, since April 2020) and the Migration Partnership Facility."),
    _org("mcp-med-ti", "Training Institute on Migration Capacity Partnership for the Mediterranean", "MCP Med TI", TRAINING, "MT", "mcpmed-ti.example", "+356 2000 0100", "Triq il-Merkanti, Valletta VLT 1000, Malta", parent="icmpd", people=3, positions=("Accreditation officer", "Learning designer", "Training coordinator"), description="Licensed by the Maltese Further and Higher Education Authority. Accredited awards in English and Arabic for Jordan, Lebanon, Libya, Morocco and Tunisia."),
    _org("intpa", "European Commission, Directorate-General for International Partnerships", "DG INTPA", DONOR, "BE", "intpa.ec.example", "+32 2 299 0000", "Rue de la Loi 41, 1049 Brussels, Belgium", description="Funds the capacity-development facility."),
    _org("home", "European Commission, Directorate-General for Migration and Home Affairs", "DG HOME", DONOR, "BE", "home.ec.example", "+32 2 299 0100", "Rue du Luxembourg 46, 1049 Brussels, Belgium", description="Manages the Asylum, Migration and Integration Fund (AMIF)."),
    _org("unu-merit", "United Nations University – Maastricht Economic and Social Research Institute on Innovation and Technology", "UNU-MERIT", TRAINING, "NL", "merit.unu.example", "+31 43 300 0000", "Boschstraat 24, 6211 AX Maastricht, Netherlands", people=3, positions=("Programme coordinator, Migration Management Diploma Programme", "Research fellow, migration", "Academic coordinator"), description="Ran the Migration Management Diploma Programme: three cohorts, 58 civil servants, November 2020 – July 2023."),
)

PARTNER_ORGS: tuple[OrgSpec, ...] = (
    # Brazil: Brazil III (public defenders; international protection and asylum; ToT pilot 2022)
    _org("dpu", "Defensoria Pública da União", "DPU", PARTNER, "BR", "dpu.example", "+55 61 3000 4000", "Setor Bancário Sul, Quadra 2, Bloco H, Brasília – DF, 70070-120, Brazil", people=5, description="Federal Public Defenders' Office: free legal assistance, including to migrants, refugees and asylum seekers."),
    _org("esdpu", "Escola Superior da Defensoria Pública da União", "ESDPU", TRAINING, "BR", "esdpu.dpu.example", "+55 61 3000 4100", "Setor Bancário Sul, Quadra 2, Bloco H, Brasília – DF, Brazil", parent="dpu", people=4, description="The DPU's training school."),
    _org("mjsp", "Ministério da Justiça e Segurança Pública", "MJSP", PARTNER, "BR", "mjsp.example", "+55 61 3000 5000", "Esplanada dos Ministérios, Bloco T, Brasília – DF, Brazil", people=3),
    _org("conare", "Comitê Nacional para os Refugiados", "CONARE", PARTNER, "BR", "conare.mjsp.example", "+55 61 3000 5100", "Esplanada dos Ministérios, Bloco T, Brasília – DF, Brazil", parent="mjsp", people=4),
    _org("br-rede", "Rede Solidária para Migrantes e Refugiados", "", CIVIL_SOCIETY, "BR", "redesolidaria.example", "+55 11 3000 6000", "Rua do Glicério 225, São Paulo – SP, Brazil", people=3),
    # Costa Rica: Costa Rica IV (migration and health; protocol and online course)
    _org("mgp-cr", "Ministerio de Gobernación y Policía", "MGP", PARTNER, "CR", "mgp.example", "+506 2200 0000", "San José, Costa Rica", people=3),
    _org("dgme", "Dirección General de Migración y Extranjería", "DGME", PARTNER, "CR", "migracion.example", "+506 2299 0000", "La Uruca, San José, Costa Rica", parent="mgp-cr", people=8),
    _org("dgme-ucm", "Unidad de Capacitación Migratoria", "UCM", TRAINING, "CR", "capacitacion.migracion.example", "+506 2299 0100", "La Uruca, San José, Costa Rica", parent="dgme", people=3),
    _org("minsa-cr", "Ministerio de Salud", "MINSA", PARTNER, "CR", "ministeriodesalud.example", "+506 2223 0000", "Calle 16, Avenidas 6 y 8, San José, Costa Rica", people=6),
    _org("cr-acamh", "Asociación Centroamericana para la Movilidad Humana", "ACAMH", CIVIL_SOCIETY, "CR", "acamh.example", "+506 2250 0000", "Barrio Escalante, San José, Costa Rica", people=3),
    # El Salvador: El Salvador II (consular protection; TNA report and training handbook)
    _org("rree-sv", "Ministerio de Relaciones Exteriores", "MRREE", PARTNER, "SV", "rree-sv.example", "+503 2231 0000", "Calle El Pedregal, Antiguo Cuscatlán, La Libertad, El Salvador", people=5),
    _org("ad-sv", "Academia Diplomática de El Salvador", "ADES", TRAINING, "SV", "academia.rree-sv.example", "+503 2231 0100", "Antiguo Cuscatlán, La Libertad, El Salvador", parent="rree-sv", people=4),
    _org("dgvse-sv", "Dirección General de Vinculación con Salvadoreños en el Exterior", "DGVSE", PARTNER, "SV", "vinculacion.rree-sv.example", "+503 2231 0200", "Antiguo Cuscatlán, La Libertad, El Salvador", parent="rree-sv", people=5),
    # Kyrgyzstan (replica trainings in 2024)
    _org("sms-kg", "State Migration Service of the Kyrgyz Republic", "SMS", PARTNER, "KG", "migration-kg.example", "+996 312 000 000", "Bishkek, Kyrgyzstan", people=8),
    _org("sms-kg-tc", "Training Centre of the State Migration Service", "", TRAINING, "KG", "tc.migration-kg.example", "+996 312 000 100", "Bishkek, Kyrgyzstan", parent="sms-kg", people=3),
    # Training-institute target countries: Jordan, Lebanon, Libya, Morocco, Tunisia
    _org("moi-jo", "Ministry of Interior", "MOI", PARTNER, "JO", "moi-jo.example", "+962 6 500 0000", "Amman, Jordan", people=5),
    _org("psd-jo", "Public Security Directorate", "PSD", PARTNER, "JO", "psd-jo.example", "+962 6 500 1000", "Amman, Jordan", people=3),
    _org("rbd-jo", "Residence and Borders Department", "", PARTNER, "JO", "borders.psd-jo.example", "+962 6 500 1100", "Amman, Jordan", parent="psd-jo", people=5),
    _org("jid-jo", "Jordan Institute of Diplomacy", "JID", TRAINING, "JO", "jid-jo.example", "+962 6 500 2000", "Amman, Jordan", people=4),
    _org("gs-lb", "General Directorate of General Security", "GDGS", PARTNER, "LB", "general-security-lb.example", "+961 1 000 000", "Beirut, Lebanon", people=6),
    _org("gs-lb-ti", "General Security Training Institute", "", TRAINING, "LB", "institute.general-security-lb.example", "+961 1 000 100", "Beirut, Lebanon", parent="gs-lb", people=3),
    _org("mol-ly", "Ministry of Labour and Rehabilitation", "", PARTNER, "LY", "labour-ly.example", "+218 21 000 0000", "Tripoli, Libya", people=5),
    _org("nipa-ly", "National Institute of Public Administration", "NIPA", TRAINING, "LY", "nipa-ly.example", "+218 21 000 1000", "Tripoli, Libya", people=3),
    _org("mi-ma", "Ministère de l'Intérieur", "", PARTNER, "MA", "interieur-ma.example", "+212 537 00 00 00", "Quartier administratif, Rabat, Maroc", people=3),
    _org("dmsf-ma", "Direction de la Migration et de la Surveillance des Frontières", "DMSF", PARTNER, "MA", "dmsf.interieur-ma.example", "+212 537 00 01 00", "Rabat, Maroc", parent="mi-ma", people=6),
    _org("mre-ma", "Ministère délégué chargé des Marocains résidant à l'étranger", "MCMRE", PARTNER, "MA", "marocainsdumonde.example", "+212 537 00 02 00", "Rabat, Maroc", people=4),
    _org("mas-tn", "Ministère des Affaires sociales", "MAS", PARTNER, "TN", "social-tn.example", "+216 71 000 000", "Boulevard Bab Benat, Tunis, Tunisie", people=3),
    _org("ote-tn", "Office des Tunisiens à l'Étranger", "OTE", PARTNER, "TN", "ote-tn.example", "+216 71 000 100", "Tunis, Tunisie", parent="mas-tn", people=5),
    _org("onm-tn", "Observatoire National de la Migration", "ONM", PARTNER, "TN", "onm-tn.example", "+216 71 000 200", "Tunis, Tunisie", parent="mas-tn", people=4),
    # Gran Chaco regional partnership (climate change and migration): Argentina, Bolivia, Paraguay
    _org("dnm-ar", "Dirección Nacional de Migraciones", "DNM", PARTNER, "AR", "migraciones-ar.example", "+54 11 4000 0000", "Av. Antártida Argentina 1355, Buenos Aires, Argentina", people=6),
    _org("mayds-ar", "Ministerio de Ambiente y Desarrollo Sostenible", "MAyDS", PARTNER, "AR", "ambiente-ar.example", "+54 11 4000 1000", "Buenos Aires, Argentina", people=4),
    _org("digemig-bo", "Dirección General de Migración", "DIGEMIG", PARTNER, "BO", "migracion-bo.example", "+591 2 200 0000", "La Paz, Bolivia", people=5),
    _org("mmaya-bo", "Ministerio de Medio Ambiente y Agua", "MMAyA", PARTNER, "BO", "mmaya-bo.example", "+591 2 200 1000", "La Paz, Bolivia", people=4),
    _org("dgm-py", "Dirección General de Migraciones", "DGM", PARTNER, "PY", "migraciones-py.example", "+595 21 000 000", "Asunción, Paraguay", people=5),
    _org("mades-py", "Ministerio del Ambiente y Desarrollo Sostenible", "MADES", PARTNER, "PY", "mades-py.example", "+595 21 000 100", "Asunción, Paraguay", people=4),
    _org("sen-py", "Secretaría de Emergencia Nacional", "SEN", PARTNER, "PY", "sen-py.example", "+595 21 000 200", "Asunción, Paraguay", people=3),
    _org("py-chaco", "Red Chaqueña de Organizaciones Sociales", "", CIVIL_SOCIETY, "PY", "redchaquena.example", "+595 491 000 000", "Filadelfia, Boquerón, Paraguay", people=3),
    # Africa
    _org("ncfrmi-ng", "National Commission for Refugees, Migrants and Internally Displaced Persons", "NCFRMI", PARTNER, "NG", "ncfrmi.example", "+234 9 000 0000", "Abuja, Nigeria", people=5),
    _org("nis-ng", "Nigeria Immigration Service", "NIS", PARTNER, "NG", "immigration-ng.example", "+234 9 000 1000", "Abuja, Nigeria", people=5),
    _org("nis-ng-ts", "Immigration Training School, Kano", "", TRAINING, "NG", "training.immigration-ng.example", "+234 64 000 000", "Kano, Nigeria", parent="nis-ng", people=3),
    _org("gis-gh", "Ghana Immigration Service", "GIS", PARTNER, "GH", "gis-gh.example", "+233 30 000 0000", "Accra, Ghana", people=5),
    _org("gis-gh-academy", "Ghana Immigration Service Academy and Training School", "", TRAINING, "GH", "academy.gis-gh.example", "+233 30 000 1000", "Assin Fosu, Ghana", parent="gis-gh", people=3),
    _org("dis-ke", "Department of Immigration Services", "DIS", PARTNER, "KE", "immigration-ke.example", "+254 20 000 0000", "Nyayo House, Nairobi, Kenya", people=5),
    _org("ksg-ke", "Kenya School of Government", "KSG", TRAINING, "KE", "ksg-ke.example", "+254 20 000 1000", "Lower Kabete, Nairobi, Kenya", people=3),
    _org("miaae-sn", "Ministère de l'Intégration africaine et des Affaires étrangères", "MIAAE", PARTNER, "SN", "diplomatie-sn.example", "+221 33 800 0000", "Dakar, Sénégal", people=3),
    _org("dgase-sn", "Direction générale d'appui aux Sénégalais de l'extérieur", "DGASE", PARTNER, "SN", "dgase.diplomatie-sn.example", "+221 33 800 0100", "Dakar, Sénégal", parent="miaae-sn", people=5),
    _org("dgie-ci", "Direction générale des Ivoiriens de l'extérieur", "DGIE", PARTNER, "CI", "dgie-ci.example", "+225 27 20 00 00 00", "Plateau, Abidjan, Côte d'Ivoire", people=5),
    _org("def-cv", "Direção de Estrangeiros e Fronteiras", "DEF", PARTNER, "CV", "def-cv.example", "+238 260 00 00", "Praia, Cabo Verde", people=4),
    # Asia
    _org("dmw-ph", "Department of Migrant Workers", "DMW", PARTNER, "PH", "dmw-ph.example", "+63 2 8000 0000", "Mandaluyong City, Metro Manila, Philippines", people=5),
    _org("fsi-ph", "Foreign Service Institute", "FSI", TRAINING, "PH", "fsi-ph.example", "+63 2 8000 1000", "Pasay City, Metro Manila, Philippines", people=3),
    _org("doe-th", "Department of Employment, Ministry of Labour", "DOE", PARTNER, "TH", "doe-th.example", "+66 2 000 0000", "Din Daeng, Bangkok, Thailand", people=5),
    _org("slbfe-lk", "Sri Lanka Bureau of Foreign Employment", "SLBFE", PARTNER, "LK", "slbfe.example", "+94 11 200 0000", "Battaramulla, Sri Lanka", people=5),
    _org("moewoe-bd", "Ministry of Expatriates' Welfare and Overseas Employment", "MoEWOE", PARTNER, "BD", "probashi-bd.example", "+880 2 5500 0000", "Eskaton Garden, Dhaka, Bangladesh", people=4),
    _org("bmet-bd", "Bureau of Manpower, Employment and Training", "BMET", TRAINING, "BD", "bmet-bd.example", "+880 2 5500 1000", "Kakrail, Dhaka, Bangladesh", parent="moewoe-bd", people=4),
    _org("dolab-vn", "Department of Overseas Labour", "DOLAB", PARTNER, "VN", "dolab-vn.example", "+84 24 3000 0000", "Hanoi, Viet Nam", people=5),
    # EU Neighbourhood
    _org("psda-ge", "Public Service Development Agency", "PSDA", PARTNER, "GE", "psda-ge.example", "+995 32 200 0000", "Tbilisi, Georgia", people=5),
    _org("mcs-am", "Migration and Citizenship Service", "MCS", PARTNER, "AM", "migration-am.example", "+374 10 000 000", "Yerevan, Armenia", people=5),
    _org("bma-md", "Bureau for Migration and Asylum", "BMA", PARTNER, "MD", "bma-md.example", "+373 22 000 000", "Chișinău, Republic of Moldova", people=5),
    _org("dbm-al", "Department for Border and Migration", "DBM", PARTNER, "AL", "dbm-al.example", "+355 4 200 0000", "Tirana, Albania", people=5),
    # Latin America
    _org("inm-mx", "Instituto Nacional de Migración", "INM", PARTNER, "MX", "inm-mx.example", "+52 55 5000 0000", "Ciudad de México, México", people=5),
    _org("comar-mx", "Comisión Mexicana de Ayuda a Refugiados", "COMAR", PARTNER, "MX", "comar-mx.example", "+52 55 5000 1000", "Ciudad de México, México", people=4),
    _org("mremh-ec", "Ministerio de Relaciones Exteriores y Movilidad Humana", "MREMH", PARTNER, "EC", "cancilleria-ec.example", "+593 2 299 0000", "Quito, Ecuador", people=5),
    _org("igm-gt", "Instituto Guatemalteco de Migración", "IGM", PARTNER, "GT", "igm-gt.example", "+502 2411 0000", "Ciudad de Guatemala, Guatemala", people=5),
    _org("migracion-co", "Unidad Administrativa Especial Migración Colombia", "Migración Colombia", PARTNER, "CO", "migracion-co.example", "+57 601 500 0000", "Bogotá, Colombia", people=5),
)

# EU Member State administrations that second experts (peer-to-peer exchange).
EXPERT_INSTITUTIONS: tuple[OrgSpec, ...] = (
    _org("de-bamf", "Bundesamt für Migration und Flüchtlinge", "BAMF", MEMBER_STATE, "DE", "bamf.example", "+49 911 000 0000", "Frankenstraße 210, 90461 Nürnberg, Germany"),
    _org("de-bmi", "Bundesministerium des Innern und für Heimat", "BMI", MEMBER_STATE, "DE", "bmi.bund.example", "+49 30 000 0000", "Alt-Moabit 140, 10557 Berlin, Germany"),
    _org("de-aa", "Auswärtiges Amt", "AA", MEMBER_STATE, "DE", "auswaertiges-amt.example", "+49 30 000 1000", "Werderscher Markt 1, 10117 Berlin, Germany"),
    _org("at-bmi", "Bundesministerium für Inneres", "BMI", MEMBER_STATE, "AT", "bmi.gv.example", "+43 1 531 0000", "Herrengasse 7, 1010 Vienna, Austria"),
    _org("at-bfa", "Bundesamt für Fremdenwesen und Asyl", "BFA", MEMBER_STATE, "AT", "bfa.gv.example", "+43 1 531 1000", "Vienna, Austria"),
    _org("fr-ofpra", "Office français de protection des réfugiés et apatrides", "OFPRA", MEMBER_STATE, "FR", "ofpra.example", "+33 1 50 00 00 00", "Fontenay-sous-Bois, France"),
    _org("fr-dgef", "Direction générale des étrangers en France", "DGEF", MEMBER_STATE, "FR", "interieur.gouv.example", "+33 1 50 00 01 00", "Place Beauvau, 75008 Paris, France"),
    _org("fr-meae", "Ministère de l'Europe et des Affaires étrangères", "MEAE", MEMBER_STATE, "FR", "diplomatie.gouv.example", "+33 1 50 00 02 00", "Quai d'Orsay, 75007 Paris, France"),
    _org("be-dvz", "Office des Étrangers / Dienst Vreemdelingenzaken", "OE-DVZ", MEMBER_STATE, "BE", "dofi.example", "+32 2 700 0000", "Boulevard Pachéco 44, 1000 Brussels, Belgium"),
    _org("be-cgrs", "Commissariat général aux réfugiés et aux apatrides", "CGRA-CGVS", MEMBER_STATE, "BE", "cgrs.example", "+32 2 700 1000", "Rue Ernest Blerot 39, 1070 Brussels, Belgium"),
    _org("nl-ind", "Immigratie- en Naturalisatiedienst", "IND", MEMBER_STATE, "NL", "ind.example", "+31 88 000 0000", "Rijswijk, Netherlands"),
    _org("nl-jenv", "Ministerie van Justitie en Veiligheid", "JenV", MEMBER_STATE, "NL", "minjenv.example", "+31 70 000 0000", "Turfmarkt 147, The Hague, Netherlands"),
    _org("es-missm", "Ministerio de Inclusión, Seguridad Social y Migraciones", "MISSM", MEMBER_STATE, "ES", "inclusion.gob.example", "+34 91 000 0000", "Madrid, Spain"),
    _org("es-oar", "Oficina de Asilo y Refugio", "OAR", MEMBER_STATE, "ES", "oar.interior.example", "+34 91 000 1000", "Madrid, Spain"),
    _org("es-ed", "Escuela Diplomática", "", TRAINING, "ES", "escueladiplomatica.example", "+34 91 000 2000", "Paseo de Juan XXIII 5, Madrid, Spain"),
    _org("it-dlci", "Dipartimento per le Libertà Civili e l'Immigrazione", "DLCI", MEMBER_STATE, "IT", "libertaciviliimmigrazione.example", "+39 06 4600 0000", "Piazza del Viminale, Rome, Italy"),
    _org("it-mlps", "Ministero del Lavoro e delle Politiche Sociali", "MLPS", MEMBER_STATE, "IT", "lavoro.gov.example", "+39 06 4600 1000", "Via Veneto 56, Rome, Italy"),
    _org("pt-aima", "Agência para a Integração, Migrações e Asilo", "AIMA", MEMBER_STATE, "PT", "aima.gov.example", "+351 21 000 0000", "Lisbon, Portugal"),
    _org("pt-mne", "Ministério dos Negócios Estrangeiros", "MNE", MEMBER_STATE, "PT", "portaldiplomatico.example", "+351 21 000 1000", "Largo do Rilvas, Lisbon, Portugal"),
    _org("pl-udsc", "Urząd do Spraw Cudzoziemców", "UDSC", MEMBER_STATE, "PL", "udsc.gov.example", "+48 22 000 0000", "Warsaw, Poland"),
    _org("se-mv", "Migrationsverket", "", MEMBER_STATE, "SE", "migrationsverket.example", "+46 771 000 000", "Norrköping, Sweden"),
    _org("fi-migri", "Maahanmuuttovirasto", "Migri", MEMBER_STATE, "FI", "migri.example", "+358 295 000 000", "Helsinki, Finland"),
    _org("gr-mma", "Ministry of Migration and Asylum", "", MEMBER_STATE, "GR", "migration.gov.example", "+30 213 000 0000", "Athens, Greece"),
    _org("ro-igi", "Inspectoratul General pentru Imigrări", "IGI", MEMBER_STATE, "RO", "igi.mai.example", "+40 21 000 0000", "Bucharest, Romania"),
    _org("mt-ipa", "International Protection Agency", "IPA", MEMBER_STATE, "MT", "ipa-mt.example", "+356 2000 0200", "Valletta, Malta"),
    _org("ie-ipo", "International Protection Office", "IPO", MEMBER_STATE, "IE", "ipo.example", "+353 1 600 0000", "Dublin, Ireland"),
    _org("cz-oamp", "Odbor azylové a migrační politiky, Ministerstvo vnitra", "OAMP", MEMBER_STATE, "CZ", "mvcr.example", "+420 974 000 000", "Prague, Czechia"),
)

# People written out by hand: the programme team, the donors' steering-committee members and the
# people behind the demo logins. Fictional names throughout.
TEAM: tuple[PersonSpec, ...] = (
    _person("icmpd-01", "Sofia", "Lindqvist", "F", "SE", "icmpd", "Capacity Development Specialist and Regional Focal Point for Asia", "staff@capdev.example", "sv:native", "en:C2", "fr:B2", "es:B1"),
    _person("icmpd-02", "Marco", "Bellandi", "M", "IT", "icmpd", "Programme Manager", "marco.bellandi@icmpd.example", "it:native", "en:C2", "fr:C1", "es:B2"),
    _person("icmpd-03", "Inés", "Carvajal Ortega", "F", "ES", "icmpd", "Knowledge Management Specialist", "ines.carvajal@icmpd.example", "es:native", "en:C1", "fr:B2", "pt:B1"),
    _person("icmpd-04", "Julien", "Marchal", "M", "BE", "icmpd", "Project Manager, Regional Focal Point for Africa", "julien.marchal@icmpd.example", "fr:native", "en:C1", "nl:B2", "pt:A2"),
    _person("icmpd-05", "Katarina", "Horvat", "F", "HR", "icmpd", "Project Manager, Regional Focal Point for the EU Neighbourhood", "katarina.horvat@icmpd.example", "hr:native", "en:C2", "ru:B2", "de:B1"),
    _person("icmpd-06", "Tomás", "Ferreira Lopes", "M", "PT", "icmpd", "Project Manager, Regional Focal Point for Latin America and the Caribbean", "tomas.ferreira@icmpd.example", "pt:native", "es:C2", "en:C1"),
    _person("icmpd-07", "Lena", "Hofbauer", "F", "AT", "icmpd", "Monitoring and Evaluation Officer", "lena.hofbauer@icmpd.example", "de:native", "en:C1", "es:B1"),
    _person("icmpd-08", "Daniel", "Kowalczyk", "M", "PL", "icmpd", "Project Officer, Training and Certification", "daniel.kowalczyk@icmpd.example", "pl:native", "en:C1", "ru:B1"),
    _person("icmpd-09", "Nadia", "Benslimane", "F", "FR", "icmpd", "Project Assistant, Mediterranean and Middle East", "nadia.benslimane@icmpd.example", "fr:native", "ar:B2", "en:C1"),
    _person("intpa-01", "Pieter", "Vandenberghe", "M", "BE", "intpa", "Programme Manager, Migration and Forced Displacement", "steering@capdev.example", "nl:native", "fr:C2", "en:C2"),
    _person("intpa-02", "Agnieszka", "Wróblewska", "F", "PL", "intpa", "Head of Sector, Migration and Forced Displacement", "agnieszka.wroblewska@intpa.ec.example", "pl:native", "en:C2", "fr:B2"),
    _person("home-01", "Elena", "Marinescu", "F", "RO", "home", "Policy Officer, Asylum, Migration and Integration Fund", "elena.marinescu@home.ec.example", "ro:native", "en:C2", "fr:C1"),
    _person("dpu-01", "Renata", "Albuquerque Lima", "F", "BR", "dpu", "Defensora Pública Federal, Chefe da Assessoria Internacional", "focal@capdev.example", "pt:native", "en:C1", "es:B2"),
    _person("dpu-tot-01", "Mariana", "Costa Ribeiro", "F", "BR", "dpu", "Defensora Pública Federal", "participant@capdev.example", "pt:native", "en:B2", "es:B1"),
    _person("dgme-01", "Andrea", "Solís Jiménez", "F", "CR", "dgme", "Jefa de Cooperación Internacional", "focal.costarica@capdev.example", "es:native", "en:C1"),
    _person("expert-01", "Katrin", "Vogel", "F", "DE", "de-bamf", "Senior trainer, asylum procedures", "trainer@capdev.example", "de:native", "en:C2", "pt:B2", "es:B2"),
)
# fmt: on
